"""Identity panels through the Django test client: every page calls identity.services with request.ctx."""

import pytest

from identity.models import ApplicationCredential, Group, Project, Role, RoleAssignment, User

HX = {"HTTP_HX_REQUEST": "true"}
LIST_PAGES = ["/dashboard/identity/domains/", "/dashboard/identity/projects/", "/dashboard/identity/users/", "/dashboard/identity/groups/",
              "/dashboard/identity/roles/", "/dashboard/project/application_credentials/"]
ADMIN_ONLY = LIST_PAGES[:5] + ["/dashboard/identity/projects/create/", "/dashboard/identity/users/create/"]


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_query_count(admin_client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = admin_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_pages_query_count_with_many_rows(admin_client, internal_ctx, url, django_assert_max_num_queries):
    from identity.services import app_credentials, domains, groups, projects, roles, users
    from dashboard import session
    from identity.services import tokens

    for i in range(30):
        projects.create_project(internal_ctx, name=f"p{i:02d}", domain_id="default")
        users.create_user(internal_ctx, name=f"u{i:02d}", domain_id="default")
        groups.create_group(internal_ctx, name=f"g{i:02d}", domain_id="default")
        roles.create_role(internal_ctx, name=f"r{i:02d}")
        domains.create_domain(internal_ctx, name=f"d{i:02d}")
    ctx = tokens.context_from_token(admin_client.session[session.TOKEN_KEY])
    for i in range(25):
        app_credentials.create_application_credential(ctx, ctx.user_id, name=f"ac{i:02d}")
    with django_assert_max_num_queries(20):
        response = admin_client.get(url + "?page=2")
    assert response.status_code == 200
    assert b"pagination" in response.content


@pytest.mark.parametrize("url", ADMIN_ONLY)
def test_identity_panels_refuse_non_admins(demo_client, url):
    assert demo_client.get(url).status_code == 403


def test_demo_may_use_application_credentials_panel(demo_client):
    assert demo_client.get("/dashboard/project/application_credentials/").status_code == 200


def test_identity_index_goes_to_first_panel(admin_client):
    assert admin_client.get("/dashboard/identity/")["Location"] == "/dashboard/identity/domains/"


# --- projects -------------------------------------------------------------------------------

def test_create_project_in_modal(admin_client):
    form = admin_client.get("/dashboard/identity/projects/create/", **HX)
    assert form.status_code == 200 and b"modal-header" in form.content and b"<html" not in form.content
    response = admin_client.post("/dashboard/identity/projects/create/", {
        "domain_id": "default", "name": "web", "description": "web team", "enabled": "on"}, **HX)
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    project = Project.objects.get(name="web")
    assert project.description == "web team" and project.enabled
    listing = admin_client.get("/dashboard/identity/projects/")
    assert b'Project &quot;web&quot; created.' in listing.content or b'Project "web" created.' in listing.content
    assert b">web</a>" in listing.content


def test_create_project_errors_rerender_in_modal(admin_client):
    missing = admin_client.post("/dashboard/identity/projects/create/", {"domain_id": "default", "name": ""}, **HX)
    assert missing.status_code == 200 and b"This field is required." in missing.content
    duplicate = admin_client.post("/dashboard/identity/projects/create/", {"domain_id": "default", "name": "demo"},
                                  **HX)
    assert duplicate.status_code == 200 and b"alert-danger" in duplicate.content
    assert Project.objects.filter(name="demo").count() == 1


def test_create_project_without_htmx_is_a_page(admin_client):
    page = admin_client.get("/dashboard/identity/projects/create/")
    assert b"<html" in page.content and b"nb-form-page" in page.content
    done = admin_client.post("/dashboard/identity/projects/create/", {"domain_id": "default", "name": "plain"},
                             HTTP_REFERER="/dashboard/identity/projects/")
    assert done.status_code == 302 and done["Location"] == "/dashboard/identity/projects/"
    assert Project.objects.filter(name="plain", enabled=False).exists()


def test_edit_project(admin_client):
    demo = Project.objects.get(name="demo")
    form = admin_client.get(f"/dashboard/identity/projects/{demo.id}/edit/", **HX)
    assert b'value="demo"' in form.content
    admin_client.post(f"/dashboard/identity/projects/{demo.id}/edit/",
                      {"name": "demo2", "description": "renamed", "enabled": "on"}, **HX)
    demo.refresh_from_db()
    assert (demo.name, demo.description) == ("demo2", "renamed")


def test_delete_projects_batch_and_row(admin_client, internal_ctx):
    from identity.services import projects

    a = projects.create_project(internal_ctx, name="a", domain_id="default")
    b = projects.create_project(internal_ctx, name="b", domain_id="default")
    c = projects.create_project(internal_ctx, name="c", domain_id="default")
    response = admin_client.post("/dashboard/identity/projects/?sort=name",
                                 {"action": "batch:delete", "object_ids": [a.id, b.id]}, follow=True)
    assert b"Deleted 2 project(s)." in response.content
    assert not Project.objects.filter(id__in=[a.id, b.id]).exists()
    admin_client.post("/dashboard/identity/projects/", {"action": f"row:delete:{c.id}"})
    assert not Project.objects.filter(id=c.id).exists()


def test_delete_failure_is_reported(admin_client, internal_ctx):
    from identity.services import projects

    parent = projects.create_project(internal_ctx, name="parent", domain_id="default")
    projects.create_project(internal_ctx, name="child", domain_id="default", parent_id=parent.id)
    response = admin_client.post("/dashboard/identity/projects/", {"action": f"row:delete:{parent.id}"}, follow=True)
    assert b"Unable to delete project" in response.content
    assert Project.objects.filter(id=parent.id).exists()


def test_unknown_action_and_empty_selection(admin_client):
    assert b"Unknown action." in admin_client.post("/dashboard/identity/projects/", {"action": "batch:explode"},
                                                   follow=True).content
    assert b"Select at least one row." in admin_client.post("/dashboard/identity/projects/",
                                                            {"action": "batch:delete"}, follow=True).content


def test_projects_table_filter_sort_and_paging(admin_client, internal_ctx):
    from identity.services import projects

    for i in range(25):
        projects.create_project(internal_ctx, name=f"team-{i:02d}", domain_id="default")
    filtered = admin_client.get("/dashboard/identity/projects/?q=team-1").content.decode()
    assert "team-10" in filtered and "team-19" in filtered and "team-20" not in filtered and ">demo<" not in filtered
    descending = admin_client.get("/dashboard/identity/projects/?sort=-name").content.decode()
    assert descending.index("team-24") < descending.index("team-23")
    page2 = admin_client.get("/dashboard/identity/projects/?sort=name&page=2").content.decode()
    total = Project.objects.count()
    assert f"Displaying {total - 20} of {total} items" in page2
    assert "team-24" in page2 and "team-00" not in page2
    nothing = admin_client.get("/dashboard/identity/projects/?q=zzz").content.decode()
    assert 'No items match "zzz".' in nothing


def test_project_detail_members_add_and_remove(admin_client):
    demo = Project.objects.get(name="demo")
    admin = User.objects.get(name="admin")
    reader = Role.objects.get(name="reader")
    page = admin_client.get(f"/dashboard/identity/projects/{demo.id}/")
    assert page.status_code == 200 and b"Project Members" in page.content and b">demo<" in page.content
    add = admin_client.post(f"/dashboard/identity/projects/{demo.id}/members/add/",
                            {"actor": f"user:{admin.id}", "role_id": reader.id}, **HX)
    assert add.status_code == 204
    assert RoleAssignment.objects.filter(user=admin, project=demo, role=reader).exists()
    row_id = f"{reader.id}|user|{admin.id}|{demo.id}"
    assert row_id.encode() in admin_client.get(f"/dashboard/identity/projects/{demo.id}/").content
    removed = admin_client.post(f"/dashboard/identity/projects/{demo.id}/", {"action": f"row:revoke:{row_id}"},
                                follow=True)
    assert b"Removed 1 role assignment(s)." in removed.content
    assert not RoleAssignment.objects.filter(user=admin, project=demo, role=reader).exists()


def test_project_detail_unknown_is_404(admin_client):
    assert admin_client.get("/dashboard/identity/projects/nope/").status_code == 404


# --- users ----------------------------------------------------------------------------------

def test_create_user_with_project_and_role(admin_client):
    demo = Project.objects.get(name="demo")
    member = Role.objects.get(name="member")
    mismatch = admin_client.post("/dashboard/identity/users/create/", {
        "domain_id": "default", "name": "alice", "password": "pw1", "confirm_password": "pw2"}, **HX)
    assert b"The passwords do not match." in mismatch.content and not User.objects.filter(name="alice").exists()
    response = admin_client.post("/dashboard/identity/users/create/", {
        "domain_id": "default", "name": "alice", "email": "alice@example.org", "password": "alicepw",
        "confirm_password": "alicepw", "default_project_id": demo.id, "role_id": member.id, "enabled": "on"}, **HX)
    assert response.status_code == 204
    alice = User.objects.get(name="alice")
    assert alice.default_project_id == demo.id and alice.email == "alice@example.org"
    assert RoleAssignment.objects.filter(user=alice, project=demo, role=member).exists()
    from dashboard.testing import login
    from django.test import Client

    other = Client()
    login(other, "alice", "alicepw")
    assert b'data-testid="current-project">demo<' in other.get("/dashboard/project/").content


def test_edit_disable_password_delete_user(admin_client):
    demo = User.objects.get(name="demo")
    admin_client.post(f"/dashboard/identity/users/{demo.id}/edit/", {
        "name": "demo", "email": "d@example.org", "description": "", "default_project_id": "", "enabled": "on"}, **HX)
    demo.refresh_from_db()
    assert demo.email == "d@example.org" and demo.default_project_id is None
    admin_client.post("/dashboard/identity/users/", {"action": f"row:disable:{demo.id}"})
    demo.refresh_from_db()
    assert not demo.enabled
    listing = admin_client.get("/dashboard/identity/users/").content.decode()
    assert f"row:enable:{demo.id}" in listing and f"row:disable:{demo.id}" not in listing
    admin_client.post("/dashboard/identity/users/", {"action": f"row:enable:{demo.id}"})
    response = admin_client.post(f"/dashboard/identity/users/{demo.id}/password/",
                                 {"password": "changed", "confirm_password": "changed"}, **HX)
    assert response.status_code == 204
    from django.test import Client
    from dashboard.testing import login

    login(Client(), "demo", "changed")
    admin_client.post("/dashboard/identity/users/", {"action": f"row:delete:{demo.id}"})
    assert not User.objects.filter(id=demo.id).exists()


def test_admin_cannot_delete_self_from_table(admin_client):
    admin = User.objects.get(name="admin")
    assert f"row:delete:{admin.id}".encode() not in admin_client.get("/dashboard/identity/users/").content


def test_user_detail_roles(admin_client):
    demo_user = User.objects.get(name="demo")
    admin_project = Project.objects.get(name="admin")
    reader = Role.objects.get(name="reader")
    page = admin_client.get(f"/dashboard/identity/users/{demo_user.id}/")
    assert page.status_code == 200 and b"Role Assignments" in page.content
    admin_client.post(f"/dashboard/identity/users/{demo_user.id}/roles/add/",
                      {"project_id": admin_project.id, "role_id": reader.id}, **HX)
    assert RoleAssignment.objects.filter(user=demo_user, project=admin_project, role=reader).exists()
    row_id = f"{reader.id}|user|{demo_user.id}|{admin_project.id}"
    admin_client.post(f"/dashboard/identity/users/{demo_user.id}/", {"action": "batch:revoke", "object_ids": [row_id]})
    assert not RoleAssignment.objects.filter(user=demo_user, project=admin_project, role=reader).exists()


# --- groups ---------------------------------------------------------------------------------

def test_groups_create_members_edit_delete(admin_client):
    admin_client.post("/dashboard/identity/groups/create/", {"domain_id": "default", "name": "ops"}, **HX)
    group = Group.objects.get(name="ops")
    demo = User.objects.get(name="demo")
    admin_client.post(f"/dashboard/identity/groups/{group.id}/members/add/", {"user_ids": [demo.id]}, **HX)
    assert group.members.filter(id=demo.id).exists()
    page = admin_client.get(f"/dashboard/identity/groups/{group.id}/")
    assert b"Group Members" in page.content and b">demo</a>" in page.content
    admin_client.post(f"/dashboard/identity/groups/{group.id}/", {"action": f"row:remove:{demo.id}"})
    assert not group.members.filter(id=demo.id).exists()
    admin_client.post(f"/dashboard/identity/groups/{group.id}/edit/", {"name": "ops2", "description": "x"}, **HX)
    group.refresh_from_db()
    assert group.name == "ops2"
    admin_client.post("/dashboard/identity/groups/", {"action": "batch:delete", "object_ids": [group.id]})
    assert not Group.objects.filter(id=group.id).exists()


def test_group_role_on_project(admin_client, internal_ctx):
    from identity.services import groups

    group = groups.create_group(internal_ctx, name="devs", domain_id="default")
    demo = Project.objects.get(name="demo")
    reader = Role.objects.get(name="reader")
    admin_client.post(f"/dashboard/identity/projects/{demo.id}/members/add/",
                      {"actor": f"group:{group.id}", "role_id": reader.id}, **HX)
    assert RoleAssignment.objects.filter(group=group, project=demo, role=reader).exists()
    page = admin_client.get(f"/dashboard/identity/projects/{demo.id}/").content
    assert b">devs<" in page and b">Group<" in page


# --- roles ----------------------------------------------------------------------------------

def test_roles_create_edit_delete(admin_client):
    listing = admin_client.get("/dashboard/identity/roles/").content.decode()
    # Direct implications: admin implies member, member implies reader.
    assert 'data-column="implies_names">member<' in listing and 'data-column="implies_names">reader<' in listing
    admin_client.post("/dashboard/identity/roles/create/", {"name": "auditor", "description": "reads logs"}, **HX)
    role = Role.objects.get(name="auditor")
    admin_client.post(f"/dashboard/identity/roles/{role.id}/edit/", {"name": "auditor2", "description": ""}, **HX)
    role.refresh_from_db()
    assert role.name == "auditor2"
    admin_client.post("/dashboard/identity/roles/", {"action": f"row:delete:{role.id}"})
    assert not Role.objects.filter(id=role.id).exists()


# --- application credentials ----------------------------------------------------------------------

def test_application_credential_secret_shown_once_and_works(demo_client):
    from identity.services import tokens

    response = demo_client.post("/dashboard/project/application_credentials/create/", {
        "name": "ci", "description": "for CI", "roles": ["reader"]}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    credential = ApplicationCredential.objects.get(name="ci")
    secret = body.split('data-testid="credential-secret">')[1].split("<")[0]
    assert len(secret) > 20 and secret not in credential.secret_hash
    assert [r.name for r in credential.roles.all()] == ["reader"]
    token_id, _data, info = tokens.authenticate({"identity": {"methods": ["application_credential"],
                                                              "application_credential": {"id": credential.id,
                                                                                         "secret": secret}}})
    assert info.role_names == ("reader",)
    listing = demo_client.get("/dashboard/project/application_credentials/").content.decode()
    assert ">ci</a>" in listing and secret not in listing
    detail = demo_client.get(f"/dashboard/project/application_credentials/{credential.id}/").content.decode()
    assert "for CI" in detail and secret not in detail
    demo_client.post("/dashboard/project/application_credentials/", {"action": f"row:delete:{credential.id}"})
    assert not ApplicationCredential.objects.filter(id=credential.id).exists()


def test_application_credential_form_errors(demo_client):
    past = demo_client.post("/dashboard/project/application_credentials/create/", {
        "name": "old", "expires_at": "2001-01-01T00:00"}, **HX)
    assert b"The expiration must be in the future." in past.content
    with_expiry = demo_client.post("/dashboard/project/application_credentials/create/", {
        "name": "soon", "expires_at": "2099-01-01T00:00", "secret": "my-own-secret"}, **HX)
    assert b"my-own-secret" in with_expiry.content
    assert ApplicationCredential.objects.get(name="soon").expires_at.year == 2099


def test_application_credentials_are_per_user(demo_client, admin_client, internal_ctx):
    from identity.services import app_credentials, tokens
    from dashboard import session

    ctx = tokens.context_from_token(admin_client.session[session.TOKEN_KEY])
    credential, _secret, _roles = app_credentials.create_application_credential(ctx, ctx.user_id, name="admins")
    assert b"admins" not in demo_client.get("/dashboard/project/application_credentials/").content
    assert demo_client.get(f"/dashboard/project/application_credentials/{credential.id}/").status_code == 404


def test_detail_pages_query_count(admin_client, internal_ctx, django_assert_max_num_queries):
    from identity.services import assignments, groups, projects, users

    project = projects.create_project(internal_ctx, name="busy", domain_id="default")
    group = groups.create_group(internal_ctx, name="crowd", domain_id="default")
    reader = Role.objects.get(name="reader")
    user = None
    for i in range(15):
        user = users.create_user(internal_ctx, name=f"m{i:02d}", domain_id="default")
        assignments.grant_role(internal_ctx, reader.id, user_id=user.id, project_id=project.id)
        groups.add_user_to_group(internal_ctx, group.id, user.id)
    for url in (f"/dashboard/identity/projects/{project.id}/", f"/dashboard/identity/users/{user.id}/",
                f"/dashboard/identity/groups/{group.id}/"):
        with django_assert_max_num_queries(20):
            assert admin_client.get(url).status_code == 200, url


# --- domains --------------------------------------------------------------------------------

def test_domains_create_edit_disable_delete(admin_client):
    from identity.models import Domain

    admin_client.post("/dashboard/identity/domains/create/", {"name": "Example", "enabled": "on"}, **HX)
    domain = Domain.objects.get(name="Example")
    admin_client.post(f"/dashboard/identity/domains/{domain.id}/edit/",
                      {"name": "Example", "description": "partners", "enabled": "on"}, **HX)
    domain.refresh_from_db()
    assert domain.description == "partners" and domain.enabled
    listing = admin_client.get("/dashboard/identity/domains/").content.decode()
    assert f"row:delete:{domain.id}" not in listing  # an enabled domain cannot be deleted
    refused = admin_client.post("/dashboard/identity/domains/", {"action": f"row:delete:{domain.id}"}, follow=True)
    assert b"Unable to delete domain" in refused.content and Domain.objects.filter(id=domain.id).exists()
    admin_client.post("/dashboard/identity/domains/", {"action": f"row:disable:{domain.id}"})
    domain.refresh_from_db()
    assert not domain.enabled
    assert f"row:delete:{domain.id}" in admin_client.get("/dashboard/identity/domains/").content.decode()
    admin_client.post("/dashboard/identity/domains/", {"action": f"row:delete:{domain.id}"})
    assert not Domain.objects.filter(id=domain.id).exists()


def test_edit_implied_roles(admin_client):
    admin_client.post("/dashboard/identity/roles/create/", {"name": "operator"}, **HX)
    operator = Role.objects.get(name="operator")
    member = Role.objects.get(name="member")
    reader = Role.objects.get(name="reader")
    form = admin_client.get(f"/dashboard/identity/roles/{operator.id}/implies/", **HX)
    assert form.status_code == 200 and f'value="{operator.id}"'.encode() not in form.content
    done = admin_client.post(f"/dashboard/identity/roles/{operator.id}/implies/", {"implies": [member.id]}, **HX)
    assert done.status_code == 204
    assert set(operator.implies.values_list("name", flat=True)) == {"member"}
    admin_client.post(f"/dashboard/identity/roles/{operator.id}/implies/", {"implies": [reader.id]}, **HX)
    assert set(operator.implies.values_list("name", flat=True)) == {"reader"}
    # A cycle is refused by the service and nothing changes.
    cycle = admin_client.post(f"/dashboard/identity/roles/{reader.id}/implies/", {"implies": [operator.id]}, **HX)
    assert cycle.status_code == 200 and b"cycle" in cycle.content
    assert not reader.implies.exists()


def test_group_detail_role_assignments(admin_client, internal_ctx):
    from identity.services import groups

    group = groups.create_group(internal_ctx, name="auditors", domain_id="default")
    demo = Project.objects.get(name="demo")
    reader = Role.objects.get(name="reader")
    added = admin_client.post(f"/dashboard/identity/groups/{group.id}/roles/add/",
                              {"project_id": demo.id, "role_id": reader.id}, **HX)
    assert added.status_code == 204
    assert RoleAssignment.objects.filter(group=group, project=demo, role=reader).exists()
    page = admin_client.get(f"/dashboard/identity/groups/{group.id}/").content.decode()
    row_id = f"{reader.id}|group|{group.id}|{demo.id}"
    assert "Role Assignments" in page and f"row:revoke:{row_id}" in page
    admin_client.post(f"/dashboard/identity/groups/{group.id}/", {"action": f"row:revoke:{row_id}"})
    assert not RoleAssignment.objects.filter(group=group, project=demo, role=reader).exists()
