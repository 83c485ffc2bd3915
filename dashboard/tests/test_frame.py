"""The frame: login, logout, project switch, navigation by role, user menu downloads."""

import pytest
import yaml

from dashboard import registry, session
from identity.services import tokens


def test_pages_need_login(bootstrapped, client):
    response = client.get("/dashboard/project/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/auth/login/?next=")


def test_htmx_requests_without_session_get_hx_redirect(bootstrapped, client):
    response = client.get("/dashboard/project/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/dashboard/auth/login/"


def test_root_redirects_to_dashboard(client):
    assert client.get("/")["Location"] == "/dashboard/"


def test_login_page_renders(bootstrapped, client):
    response = client.get("/dashboard/auth/login/")
    assert response.status_code == 200
    assert b'name="domain"' in response.content and b'value="Default"' in response.content


def test_login_scopes_to_a_project_and_stores_token(bootstrapped, client):
    response = client.post("/dashboard/auth/login/", {"domain": "Default", "username": "demo", "password": "demopw"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/project/"
    token_id = client.session[session.TOKEN_KEY]
    ctx = tokens.context_from_token(token_id)
    assert ctx.user_name == "demo" and ctx.project_name == "demo"
    assert client.session[session.PROJECT_KEY] == ctx.project_id
    page = client.get("/dashboard/project/")
    assert page.status_code == 200
    assert b'data-testid="current-project">demo<' in page.content


def test_login_follows_next_only_inside_dashboard(bootstrapped, client):
    response = client.post("/dashboard/auth/login/", {"domain": "Default", "username": "demo", "password": "demopw",
                                                      "next": "https://evil.example/"})
    assert response["Location"] == "/dashboard/project/"


@pytest.mark.parametrize("fields", [
    {"domain": "Default", "username": "demo", "password": "wrong"},
    {"domain": "Nowhere", "username": "demo", "password": "demopw"},
    {"domain": "Default", "username": "ghost", "password": "demopw"},
])
def test_login_rejects_bad_credentials(bootstrapped, client, fields):
    response = client.post("/dashboard/auth/login/", fields)
    assert response.status_code == 401
    assert b"Invalid credentials." in response.content
    assert session.TOKEN_KEY not in client.session


def test_login_without_any_project_is_refused(bootstrapped, client, internal_ctx):
    from identity.services import users

    users.create_user(internal_ctx, name="lonely", domain_id="default", password="lonelypw")
    response = client.post("/dashboard/auth/login/", {"domain": "Default", "username": "lonely",
                                                      "password": "lonelypw"})
    assert response.status_code == 401
    assert b"not authorized for any projects" in response.content


def test_login_falls_back_to_first_project_with_roles(bootstrapped, client, internal_ctx):
    from identity.models import Role
    from identity.services import assignments, projects, users

    user = users.create_user(internal_ctx, name="carol", domain_id="default", password="carolpw")
    for name in ("zeta", "alpha"):
        project = projects.create_project(internal_ctx, name=name, domain_id="default")
        assignments.grant_role(internal_ctx, Role.objects.get(name="reader").id, user_id=user.id,
                               project_id=project.id)
    client.post("/dashboard/auth/login/", {"domain": "Default", "username": "carol", "password": "carolpw"})
    ctx = tokens.context_from_token(client.session[session.TOKEN_KEY])
    assert ctx.project_name == "alpha"


def test_logout_revokes_the_token(admin_client):
    token_id = admin_client.session[session.TOKEN_KEY]
    assert tokens.validate(token_id) is not None
    assert admin_client.get("/dashboard/auth/logout/").status_code == 405
    response = admin_client.post("/dashboard/auth/logout/")
    assert response["Location"] == "/dashboard/auth/login/"
    assert tokens.validate(token_id) is None
    assert session.TOKEN_KEY not in admin_client.session
    assert admin_client.get("/dashboard/project/").status_code == 302


def test_revoked_token_sends_back_to_login(admin_client, internal_ctx):
    token_id = admin_client.session[session.TOKEN_KEY]
    tokens.revoke_token(internal_ctx, token_id)
    response = admin_client.get("/dashboard/project/", follow=True)
    assert response.redirect_chain[0][0].startswith("/dashboard/auth/login/")
    assert b"Your session has expired." in response.content


def test_switch_project(admin_client, admin_in_demo):
    page = admin_client.get("/dashboard/project/")
    assert f'/dashboard/auth/switch/{admin_in_demo.id}/'.encode() in page.content
    first_token = admin_client.session[session.TOKEN_KEY]
    response = admin_client.post(f"/dashboard/auth/switch/{admin_in_demo.id}/", {"next": "/dashboard/project/"})
    assert response["Location"] == "/dashboard/project/"
    ctx = tokens.context_from_token(admin_client.session[session.TOKEN_KEY])
    assert ctx.project_id == admin_in_demo.id and ctx.project_name == "demo"
    assert admin_client.session[session.PROJECT_KEY] == admin_in_demo.id
    assert "admin" not in ctx.roles  # admin is only a member of demo
    # Logging out revokes the whole chain: the login token and the rescoped one.
    admin_client.post("/dashboard/auth/logout/")
    assert tokens.validate(first_token) is None
    assert tokens.validate(ctx.token_id) is None


def test_switch_to_a_project_without_roles_is_refused(demo_client):
    from identity.models import Project

    admin_project = Project.objects.get(name="admin")
    before = demo_client.session[session.TOKEN_KEY]
    response = demo_client.post(f"/dashboard/auth/switch/{admin_project.id}/", follow=True)
    assert b"not authorized for that project" in response.content
    assert demo_client.session[session.TOKEN_KEY] == before


def _nav_groups(content):
    return [g for g in ("Project", "Admin", "Identity") if f'nb-nav-group-title">{g}<'.encode() in content]


def test_navigation_by_role(admin_client, client, bootstrapped):
    admin_page = admin_client.get("/dashboard/project/").content
    expected_admin = ["Project"] + [name for slug, name in registry.GROUPS[1:]
                                    if any(p.group == slug for p in registry.discover())]
    assert _nav_groups(admin_page) == expected_admin
    admin_client.post("/dashboard/auth/logout/")
    from dashboard.testing import login

    login(client, "demo", "demopw")
    demo_page = client.get("/dashboard/project/").content
    assert _nav_groups(demo_page) == ["Project"]
    assert b'data-panel="identity/' not in demo_page and b'data-panel="admin/' not in demo_page


def test_admin_and_identity_groups_refuse_non_admins(demo_client):
    for url in ("/dashboard/admin/", "/dashboard/identity/", "/dashboard/identity/anything/"):
        assert demo_client.get(url).status_code == 403, url


def test_clouds_yaml_download(demo_client):
    response = demo_client.get("/dashboard/settings/clouds.yaml")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    cloud = yaml.safe_load(response.content)["clouds"]["nebula"]
    assert cloud["auth"]["username"] == "demo"
    assert cloud["auth"]["project_name"] == "demo"
    assert cloud["auth"]["auth_url"].endswith("/identity/v3")
    assert "password" not in cloud["auth"]
    assert b"demopw" not in response.content


def test_openrc_download(demo_client):
    response = demo_client.get("/dashboard/settings/openrc.sh")
    body = response.content.decode()
    assert "export OS_USERNAME='demo'" in body
    assert "export OS_PROJECT_NAME='demo'" in body
    assert "read -sr OS_PASSWORD_INPUT" in body
    assert "demopw" not in body


def test_change_password(demo_client, client):
    page = demo_client.get("/dashboard/settings/password/", HTTP_HX_REQUEST="true")
    assert page.status_code == 200 and b"modal-header" in page.content
    mismatch = demo_client.post("/dashboard/settings/password/", {
        "current_password": "demopw", "new_password": "n3w-pw", "confirm_password": "other"}, HTTP_HX_REQUEST="true")
    assert b"The passwords do not match." in mismatch.content
    wrong = demo_client.post("/dashboard/settings/password/", {
        "current_password": "nope", "new_password": "n3w-pw", "confirm_password": "n3w-pw"}, HTTP_HX_REQUEST="true")
    assert wrong.status_code == 200 and b"The current password is not correct." in wrong.content
    token_id = demo_client.session[session.TOKEN_KEY]
    done = demo_client.post("/dashboard/settings/password/", {
        "current_password": "demopw", "new_password": "n3w-pw", "confirm_password": "n3w-pw"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 204, done.content.decode()[-1500:]
    assert done["HX-Redirect"] == "/dashboard/auth/login/"
    assert tokens.validate(token_id) is None
    bad = client.post("/dashboard/auth/login/", {"domain": "Default", "username": "demo", "password": "demopw"})
    assert bad.status_code == 401
    good = client.post("/dashboard/auth/login/", {"domain": "Default", "username": "demo", "password": "n3w-pw"})
    assert good.status_code == 302


def test_overview_lists_project_panels(demo_client):
    page = demo_client.get("/dashboard/project/").content
    for panel in registry.discover():
        if panel.group == "project":
            assert panel.url_prefix.encode() in page


def test_overview_query_count(demo_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        assert demo_client.get("/dashboard/project/").status_code == 200


def test_static_assets_are_vendored(demo_client):
    page = demo_client.get("/dashboard/project/").content.decode()
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
    from django.contrib.staticfiles import finders

    for asset in ("vendor/bootstrap-5.3.3/bootstrap.min.css", "vendor/bootstrap-5.3.3/bootstrap.bundle.min.js",
                  "vendor/bootstrap-icons-1.11.3/bootstrap-icons.min.css", "django_htmx/htmx-2.min.js",
                  "dashboard/dashboard.css", "dashboard/dashboard.js"):
        assert finders.find(asset), asset


def test_django_admin_console_admits_admin_not_demo(bootstrapped, client):
    response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "adminpw"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout/")
    refused = client.post("/admin/login/?next=/admin/", {"username": "demo", "password": "demopw"})
    assert refused.status_code == 200  # the form again, with an error
    assert client.get("/admin/").status_code == 302


def test_switch_goes_to_overview_when_the_panel_is_not_allowed_there(admin_client, admin_in_demo):
    response = admin_client.post(f"/dashboard/auth/switch/{admin_in_demo.id}/",
                                 {"next": "/dashboard/identity/users/"})
    assert response["Location"] == "/dashboard/project/"


def test_switch_from_a_detail_page_goes_to_the_panel_index(admin_client, admin_in_demo):
    response = admin_client.post(f"/dashboard/auth/switch/{admin_in_demo.id}/",
                                 {"next": "/dashboard/project/application_credentials/abc/"})
    assert response["Location"] == "/dashboard/project/application_credentials/"


def test_login_says_when_the_directory_is_unreachable(bootstrapped, client, internal_ctx):
    from core.testing.processes import free_port
    from identity.services import domain_configs, domains

    domain = domains.create_domain(internal_ctx, name="Directory")
    # A loopback port nobody listens on: the bind fails at once, the credentials were never checked.
    domain_configs.configure_ldap(internal_ctx, domain.id, {"url": f"ldap://127.0.0.1:{free_port()}",
                                                            "user_tree_dn": "ou=users,dc=example,dc=org"})
    response = client.post("/dashboard/auth/login/", {"domain": "Directory", "username": "alice",
                                                      "password": "whatever"})
    assert response.status_code == 503
    assert b"Invalid credentials." not in response.content
    assert b'id="login-error"' in response.content
