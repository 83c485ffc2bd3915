"""The real `openstack` CLI against a live Nebula: tokens, identity objects, role assignments,
application credentials and the catalog."""

import json
import subprocess

import pytest

from core.testing.processes import venv_tool

pytestmark = [pytest.mark.e2e]


def bare_cli(live_cloud, *args, check=True):
    """The CLI with only command-line auth (no clouds.yaml): for token and application-credential auth."""
    env = {k: v for k, v in live_cloud.client_env().items() if k != "OS_CLIENT_CONFIG_FILE"}
    command = [venv_tool("openstack"), "--os-auth-url", f"{live_cloud.url}/identity",
               "--os-identity-api-version", "3", "--os-interface", "public", *args, "-f", "json"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return json.loads(result.stdout)
    return result


def test_token_issue_and_revoke(live_cloud):
    token = live_cloud.openstack("token", "issue")
    assert token["project_id"] and token["user_id"] and token["expires"]
    with_token = ("--os-auth-type", "token", "--os-token", token["id"], "--os-project-id", token["project_id"],
                  "catalog", "list")
    # The same command works with the valid token ...
    catalog = bare_cli(live_cloud, *with_token)
    assert "identity" in {entry["Type"] for entry in catalog}
    live_cloud.openstack("token", "revoke", token["id"], as_json=False)
    # ... and fails once it is revoked.
    result = bare_cli(live_cloud, *with_token, check=False)
    assert result.returncode != 0
    assert "401" in result.stderr or "authentication" in result.stderr.lower(), result.stderr


def test_catalog_list_as_demo(live_cloud):
    catalog = live_cloud.openstack("catalog", "list", cloud="nebula-demo")
    types = {entry["Type"] for entry in catalog}
    assert {"identity", "compute", "image", "network", "object-store", "volumev3"} <= types


def test_domain_create_list_show_set_delete(live_cloud):
    cli = live_cloud.openstack
    created = cli("domain", "create", "--description", "CLI domain", "cli-domain")
    assert created["name"] == "cli-domain" and created["enabled"] is True
    assert "cli-domain" in {d["Name"] for d in cli("domain", "list")}
    assert cli("domain", "show", "cli-domain")["description"] == "CLI domain"
    cli("domain", "set", "--disable", "--description", "off", "cli-domain", as_json=False)
    assert cli("domain", "show", created["id"])["enabled"] is False
    cli("domain", "delete", "cli-domain", as_json=False)
    assert cli("domain", "show", "cli-domain", check=False).returncode != 0


def test_projects_users_groups_roles_and_assignments(live_cloud):
    cli = live_cloud.openstack
    project = cli("project", "create", "--description", "CLI project", "--domain", "default", "cli-project")
    assert project["name"] == "cli-project" and project["domain_id"] == "default"
    child = cli("project", "create", "--parent", "cli-project", "cli-child")
    assert child["parent_id"] == project["id"]
    assert {"cli-project", "cli-child"} <= {p["Name"] for p in cli("project", "list")}
    cli("project", "set", "--description", "changed", "cli-project", as_json=False)
    assert cli("project", "show", "cli-project")["description"] == "changed"

    # As OPENSTACK-API.md records: user create with --project looks the project up by name.
    user = cli("user", "create", "--password", "cli-pw-1", "--project", "cli-project", "--domain", "default",
               "--email", "cli@example.org", "cli-user")
    assert user["name"] == "cli-user" and user["default_project_id"] == project["id"]
    assert "password" not in user
    assert "cli-user" in {u["Name"] for u in cli("user", "list")}
    cli("user", "set", "--email", "new@example.org", "cli-user", as_json=False)
    assert cli("user", "show", "cli-user")["email"] == "new@example.org"

    group = cli("group", "create", "--description", "CLI group", "cli-group")
    cli("group", "add", "user", "cli-group", "cli-user", as_json=False)
    assert "cli-group" in {g["Name"] for g in cli("group", "list")}
    assert cli("group", "show", "cli-group")["id"] == group["id"]
    role = cli("role", "create", "cli-role")
    cli("role", "set", "--description", "made by the CLI", "cli-role", as_json=False)
    assert cli("role", "show", "cli-role")["description"] == "made by the CLI"
    assert "cli-role" in {r["Name"] for r in cli("role", "list")}

    cli("role", "add", "--project", "cli-project", "--user", "cli-user", "member", as_json=False)
    cli("role", "add", "--project", "cli-project", "--group", "cli-group", "cli-role", as_json=False)
    rows = cli("role", "assignment", "list", "--project", "cli-project", "--names")
    got = {(r["Role"], r["User"], r["Group"], r["Project"]) for r in rows}
    assert got == {("member", "cli-user@Default", "", "cli-project@Default"),
                   ("cli-role", "", "cli-group@Default", "cli-project@Default")}
    effective = cli("role", "assignment", "list", "--user", "cli-user", "--effective", "--names")
    assert {r["Role"] for r in effective} == {"member", "reader", "cli-role"}

    # The new user can now log in to the project with their password.
    login = bare_cli(live_cloud, "--os-username", "cli-user", "--os-password", "cli-pw-1", "--os-user-domain-id",
                     "default", "--os-project-name", "cli-project", "--os-project-domain-id", "default",
                     "token", "issue")
    assert login["project_id"] == project["id"]

    cli("role", "remove", "--project", "cli-project", "--user", "cli-user", "member", as_json=False)
    cli("role", "remove", "--project", "cli-project", "--group", "cli-group", "cli-role", as_json=False)
    assert cli("role", "assignment", "list", "--project", "cli-project", "--names") == []

    cli("group", "remove", "user", "cli-group", "cli-user", as_json=False)
    for command in (("group", "delete", "cli-group"), ("user", "delete", "cli-user"), ("role", "delete", "cli-role"),
                    ("project", "delete", "cli-child"), ("project", "delete", "cli-project")):
        cli(*command, as_json=False)
    assert cli("user", "show", "cli-user", check=False).returncode != 0


def test_application_credential_authenticates(live_cloud):
    cli = live_cloud.openstack
    credential = cli("application", "credential", "create", "--role", "member", "--description", "CI", "cli-ci",
                     cloud="nebula-demo")
    assert credential["Secret"] and credential["Project ID"]
    assert [r["name"] for r in credential["Roles"]] == ["member"]
    listed = cli("application", "credential", "list", cloud="nebula-demo")
    assert "cli-ci" in {c["Name"] for c in listed}
    with_credential = ("--os-auth-type", "v3applicationcredential", "--os-application-credential-id",
                       credential["ID"], "--os-application-credential-secret", credential["Secret"])
    catalog = bare_cli(live_cloud, *with_credential, "catalog", "list")
    assert {"identity", "compute"} <= {entry["Type"] for entry in catalog}
    cli("application", "credential", "delete", "cli-ci", cloud="nebula-demo", as_json=False)
    assert bare_cli(live_cloud, *with_credential, "catalog", "list", check=False).returncode != 0


def test_endpoint_region_service_lists(live_cloud):
    cli = live_cloud.openstack
    endpoints = cli("endpoint", "list")
    assert {"public", "internal", "admin"} <= {e["Interface"] for e in endpoints}
    assert {e["Region"] for e in endpoints} == {"RegionOne"}
    identity = cli("endpoint", "list", "--service", "identity", "--interface", "public")
    assert len(identity) == 1 and identity[0]["URL"] == f"{live_cloud.url}/identity"
    assert "RegionOne" in {r["Region"] for r in cli("region", "list")}
    services = cli("service", "list")
    assert {"identity", "compute", "image", "network", "object-store", "volumev3"} <= {s["Type"] for s in services}


def test_demo_is_refused_admin_listings(live_cloud):
    result = live_cloud.openstack("user", "list", cloud="nebula-demo", check=False)
    assert result.returncode != 0 and "403" in result.stderr
    result = live_cloud.openstack("project", "show", "admin", cloud="nebula-demo", check=False)
    assert result.returncode != 0
