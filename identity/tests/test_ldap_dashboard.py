"""The dashboard's login form (Django test client) with a directory user."""

import uuid

import pytest

from dashboard.testing import login
from identity.backends.ldap import LdapBackend
from identity.models import Domain, DomainConfig, Group, Project, Role, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_project(bootstrapped, ldap_server):
    domain = Domain.objects.create(name=f"Directory{uuid.uuid4().hex[:6]}")
    config = ldap_server.domain_config()["config"]
    DomainConfig.objects.create(domain=domain, driver="ldap", ldap=config["ldap"])
    LdapBackend(config["ldap"]).sync_groups(domain)
    project = Project.objects.create(name=f"lab{uuid.uuid4().hex[:6]}", domain=domain)
    RoleAssignment.objects.create(role=Role.objects.get(name="member"), project=project,
                                  group=Group.objects.get(domain=domain, name="admins"))
    return domain, project


def test_directory_user_logs_in_and_sees_the_project_overview(client, directory_project):
    domain, project = directory_project
    login(client, "alice", "alice-ldap-pw", domain=domain.name)
    overview = client.get("/dashboard/project/")
    assert overview.status_code == 200
    assert project.name in overview.content.decode()
    assert "alice" in overview.content.decode()


@pytest.mark.parametrize("name,password", [("alice", "wrong"), ("alice", ""), ("*", "alice-ldap-pw"),
                                           ("bob", "bob-ldap-pw")])  # bob has no project
def test_refused_logins_stay_on_the_login_page(client, directory_project, name, password):
    domain, _project = directory_project
    response = client.post("/dashboard/auth/login/", {"domain": domain.name, "username": name, "password": password})
    assert response.status_code in (200, 401)
    assert client.get("/dashboard/project/").status_code == 302


# --- the LDAP Domains panel (Identity -> LDAP Domains, admins only) ------------------------------

PANEL = "/dashboard/identity/ldap/"


def form_data(server, **overrides):
    data = {k: v for k, v in server.domain_config()["config"]["ldap"].items()
            if k in ("url", "user", "password", "suffix", "user_tree_dn", "user_objectclass", "user_id_attribute",
                     "user_name_attribute", "user_mail_attribute", "group_tree_dn", "group_objectclass",
                     "group_name_attribute", "group_member_attribute")}
    data.update(overrides)
    return data


def test_panel_lists_domains_with_their_backend(client, directory_project, django_assert_max_num_queries):
    domain, _project = directory_project
    for number in range(3):
        Domain.objects.create(name=f"plain{number}{uuid.uuid4().hex[:4]}")
    login(client, "admin", "adminpw")
    client.get(PANEL)
    with django_assert_max_num_queries(20):
        page = client.get(PANEL)
    assert page.status_code == 200
    text = page.content.decode()
    assert domain.name in text and "Default" in text
    assert DomainConfig.objects.get(domain=domain).ldap["url"] in text
    assert DomainConfig.objects.get(domain=domain).ldap["password"] not in text


def test_panel_is_for_admins_only(client, directory_project):
    login(client, "demo", "demopw")
    assert client.get(PANEL).status_code == 403


def test_configure_a_domain_from_the_panel_then_log_in(client, bootstrapped, ldap_server):
    domain = Domain.objects.create(name=f"Fresh{uuid.uuid4().hex[:6]}")
    login(client, "admin", "adminpw")
    form = client.get(f"{PANEL}{domain.id}/configure/")
    assert form.status_code == 200 and 'value="inetOrgPerson"' in form.content.decode()
    saved = client.post(f"{PANEL}{domain.id}/configure/", form_data(ldap_server))
    assert saved.status_code in (200, 204, 302), saved.content
    stored = DomainConfig.objects.get(domain=domain)
    assert stored.driver == "ldap" and stored.ldap["password"] == ldap_server.admin_password

    # Saved again with the password left empty: the stored one stays.
    client.post(f"{PANEL}{domain.id}/configure/", form_data(ldap_server, password="", user_mail_attribute="cn"))
    stored.refresh_from_db()
    assert stored.ldap["password"] == ldap_server.admin_password and stored.ldap["user_mail_attribute"] == "cn"
    assert ldap_server.admin_password not in client.get(f"{PANEL}{domain.id}/configure/").content.decode()

    from identity.services import tokens

    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": "bob", "domain": {"id": domain.id}, "password": "bob-ldap-pw"}}}}
    assert tokens.authenticate(auth)[0]


def test_bad_options_are_shown_on_the_form_and_store_nothing(client, bootstrapped, ldap_server):
    domain = Domain.objects.create(name=f"Fresh{uuid.uuid4().hex[:6]}")
    login(client, "admin", "adminpw")
    response = client.post(f"{PANEL}{domain.id}/configure/", form_data(ldap_server, url="http://nope"))
    assert response.status_code == 200
    assert "ldap://" in response.content.decode()  # the service's message about the URL
    assert not DomainConfig.objects.filter(domain=domain).exists()
    default = client.post(f"{PANEL}default/configure/", form_data(ldap_server))
    assert default.status_code == 200 and not DomainConfig.objects.filter(domain_id="default").exists()


def test_sync_now_and_stop_using_ldap(client, directory_project, ldap_server):
    domain, _project = directory_project
    login(client, "admin", "adminpw")
    uid = f"frank{uuid.uuid4().hex[:6]}"
    ldap_server.add_user(uid, "pw")
    try:
        response = client.post(PANEL, {"action": f"row:sync:{domain.id}"}, follow=True)
        assert "Synchronised 1 domain" in response.content.decode()
        assert domain.users.filter(name=uid).exists()
    finally:
        ldap_server.delete_user(uid)
    response = client.post(PANEL, {"action": f"row:use-sql:{domain.id}"}, follow=True)
    assert "back on the SQL backend" in response.content.decode()
    assert not DomainConfig.objects.filter(domain=domain).exists()
    failed = client.post(PANEL, {"action": f"row:sync:{domain.id}"}, follow=True)
    assert "does not read an LDAP directory" in failed.content.decode()
