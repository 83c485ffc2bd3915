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
