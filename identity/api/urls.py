"""Keystone v3 under /identity. Paths never need a trailing slash (clients send none)."""

from django.urls import re_path

from identity.api.views import (app_credentials, assignments, auth, catalog, domains, groups, projects, roles, users,
                                versions)
from identity.api.views import domain_configs as domain_config_views

ID = r"[^/]+"


def v3(pattern, view):
    return re_path(rf"^/v3/{pattern}/?$", view)


def _grant_routes():
    routes = []
    actors = (("users", "user_id"), ("groups", "group_id"))
    for actor, actor_kw in actors:
        for target, target_kw in (("projects", "project_id"), ("domains", "domain_id")):
            base = rf"{target}/(?P<{target_kw}>{ID})/{actor}/(?P<{actor_kw}>{ID})/roles"
            routes.append(v3(base, assignments.GrantListView.as_view()))
            routes.append(v3(rf"{base}/(?P<role_id>{ID})", assignments.GrantView.as_view()))
            inherit = rf"OS-INHERIT/{base}"
            routes.append(v3(rf"{inherit}/inherited_to_projects",
                             assignments.GrantListView.as_view(inherited=True)))
            routes.append(v3(rf"{inherit}/(?P<role_id>{ID})/inherited_to_projects",
                             assignments.GrantView.as_view(inherited=True)))
        base = rf"system/{actor}/(?P<{actor_kw}>{ID})/roles"
        routes.append(v3(base, assignments.GrantListView.as_view(system=True)))
        routes.append(v3(rf"{base}/(?P<role_id>{ID})", assignments.GrantView.as_view(system=True)))
    return routes


urlpatterns = [
    re_path(r"^/?$", versions.VersionsView.as_view()),
    re_path(r"^/v3/?$", versions.V3View.as_view()),
    re_path(r"^/v3/auth/tokens/?$", auth.TokensView.as_view()),
    re_path(r"^/v3/auth/catalog/?$", auth.AuthCatalogView.as_view()),
    re_path(r"^/v3/auth/projects/?$", auth.AuthProjectsView.as_view()),
    re_path(r"^/v3/auth/domains/?$", auth.AuthDomainsView.as_view()),
    re_path(r"^/v3/auth/system/?$", auth.AuthSystemView.as_view()),

    v3("domains", domains.DomainsView.as_view()),
    v3(rf"domains/(?P<domain_id>{ID})", domains.DomainView.as_view()),
    v3("projects", projects.ProjectsView.as_view()),
    v3(rf"projects/(?P<project_id>{ID})", projects.ProjectView.as_view()),

    v3("users", users.UsersView.as_view()),
    v3(rf"users/(?P<user_id>{ID})", users.UserView.as_view()),
    v3(rf"users/(?P<user_id>{ID})/password", users.UserPasswordView.as_view()),
    v3(rf"users/(?P<user_id>{ID})/projects", projects.UserProjectsView.as_view()),
    v3(rf"users/(?P<user_id>{ID})/groups", users.UserGroupsView.as_view()),
    v3(rf"users/(?P<user_id>{ID})/application_credentials",
       app_credentials.ApplicationCredentialsView.as_view()),
    v3(rf"users/(?P<user_id>{ID})/application_credentials/(?P<credential_id>{ID})",
       app_credentials.ApplicationCredentialView.as_view()),

    v3("groups", groups.GroupsView.as_view()),
    v3(rf"groups/(?P<group_id>{ID})", groups.GroupView.as_view()),
    v3(rf"groups/(?P<group_id>{ID})/users", groups.GroupUsersView.as_view()),
    v3(rf"groups/(?P<group_id>{ID})/users/(?P<user_id>{ID})", groups.GroupMemberView.as_view()),

    v3("roles", roles.RolesView.as_view()),
    v3(rf"roles/(?P<role_id>{ID})", roles.RoleView.as_view()),
    v3(rf"roles/(?P<prior_id>{ID})/implies", roles.ImpliedRolesView.as_view()),
    v3(rf"roles/(?P<prior_id>{ID})/implies/(?P<implied_id>{ID})", roles.ImpliedRoleView.as_view()),
    v3("role_inferences", roles.RoleInferencesView.as_view()),
    v3("role_assignments", assignments.RoleAssignmentsView.as_view()),
    *_grant_routes(),

    v3("regions", catalog.RegionsView.as_view()),
    v3(rf"regions/(?P<region_id>{ID})", catalog.RegionView.as_view()),
    v3("services", catalog.ServicesView.as_view()),
    v3(rf"services/(?P<service_id>{ID})", catalog.ServiceView.as_view()),
    v3("endpoints", catalog.EndpointsView.as_view()),
    v3(rf"endpoints/(?P<endpoint_id>{ID})", catalog.EndpointView.as_view()),
]

# Domain-specific configuration (LDAP domains): /v3/domains/config[/{group}[/{option}]]/default and
# /v3/domains/{domain_id}/config[/{group}[/{option}]].
_CONFIG_PATH = r"(?:/(?P<group>[^/]+)(?:/(?P<option>[^/]+))?)?"
urlpatterns += [
    re_path(r"^/v3/domains/config" + _CONFIG_PATH + r"/default/?$",
            domain_config_views.DefaultDomainConfigView.as_view()),
    re_path(r"^/v3/domains/(?P<domain_id>[^/]+)/config" + _CONFIG_PATH + r"/?$",
            domain_config_views.DomainConfigView.as_view()),
]
