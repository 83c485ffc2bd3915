"""End to end: the real `openstack` CLI against a live Nebula whose domain reads a real slapd."""

import json
import subprocess
import uuid

import pytest

from core.testing.ldap import configure_live_domain
from core.testing.processes import venv_tool

pytestmark = pytest.mark.e2e


def cli_as(live_cloud, user, password, domain, project, *args):
    """The CLI with credentials on its command line only, as a directory user would run it."""
    env = {k: v for k, v in live_cloud.client_env().items() if k != "OS_CLIENT_CONFIG_FILE"}
    command = [venv_tool("openstack"), "--os-auth-url", f"{live_cloud.url}/identity/v3",
               "--os-identity-api-version", "3", "--os-username", user, "--os-password", password,
               "--os-user-domain-name", domain, "--os-project-name", project,
               "--os-project-domain-name", domain, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def ldap_cloud(live_cloud, ldap_server):
    """A domain of the live cloud reading the directory, with project `research` where the directory
    group `admins` has the member role (alice is in it, bob is not)."""
    return configure_live_domain(live_cloud, ldap_server)


def test_directory_user_issues_a_token_with_the_cli(live_cloud, ldap_cloud):
    result = cli_as(live_cloud, "alice", "alice-ldap-pw", ldap_cloud, "research", "token", "issue", "-f", "json")
    assert result.returncode == 0, result.stderr
    token = json.loads(result.stdout)
    assert token["id"] and token["project_id"]
    users = live_cloud.openstack("user", "list", "--domain", ldap_cloud)
    alice = next(u for u in users if u["Name"] == "alice")
    assert token["user_id"] == alice["ID"]


def test_wrong_password_and_non_member_are_refused_by_the_cli(live_cloud, ldap_cloud):
    wrong = cli_as(live_cloud, "alice", "not-her-password", ldap_cloud, "research", "token", "issue")
    assert wrong.returncode != 0
    assert "401" in wrong.stderr or "authentication" in wrong.stderr.lower()
    outsider = cli_as(live_cloud, "bob", "bob-ldap-pw", ldap_cloud, "research", "token", "issue")
    assert outsider.returncode != 0


def test_admin_lists_the_directory_users_and_groups(live_cloud, ldap_cloud, ldap_server):
    users = {u["Name"] for u in live_cloud.openstack("user", "list", "--domain", ldap_cloud)}
    assert {"alice", "bob"} <= users
    groups = {g["Name"] for g in live_cloud.openstack("group", "list", "--domain", ldap_cloud)}
    assert "admins" in groups
    refused = live_cloud.openstack("user", "create", "--domain", ldap_cloud, "--password", "pw",
                                   f"local-{uuid.uuid4().hex[:6]}", check=False)
    assert refused.returncode != 0 and "403" in refused.stderr
