import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def test_domain_lifecycle(api, admin_token):
    created = api.post(f"{V3}/domains", {"domain": {"name": "acme", "description": "ACME", "tags": ["a"]}},
                       token=admin_token)
    assert created.status_code == 201, created.content
    domain = created.json()["domain"]
    assert domain["name"] == "acme" and domain["enabled"] is True and domain["tags"] == ["a"]
    assert domain["links"]["self"].endswith(f"/v3/domains/{domain['id']}")
    assert api.get(f"{V3}/domains/{domain['id']}", token=admin_token).json()["domain"]["name"] == "acme"
    names = [d["name"] for d in api.get(f"{V3}/domains?name=acme", token=admin_token).json()["domains"]]
    assert names == ["acme"]

    # Keystone refuses to delete an enabled domain.
    refused = api.delete(f"{V3}/domains/{domain['id']}", token=admin_token)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == 403
    updated = api.patch(f"{V3}/domains/{domain['id']}", {"domain": {"enabled": False, "description": "gone"}},
                        token=admin_token)
    assert updated.status_code == 200 and updated.json()["domain"]["enabled"] is False
    assert api.delete(f"{V3}/domains/{domain['id']}", token=admin_token).status_code == 204
    assert api.get(f"{V3}/domains/{domain['id']}", token=admin_token).status_code == 404


def test_deleting_a_disabled_domain_takes_its_projects_users_and_groups(api, admin_token):
    domain = api.post(f"{V3}/domains", {"domain": {"name": "temp"}}, token=admin_token).json()["domain"]
    parent = api.post(f"{V3}/projects", {"project": {"name": "p", "domain_id": domain["id"]}},
                      token=admin_token).json()["project"]
    api.post(f"{V3}/projects", {"project": {"name": "c", "parent_id": parent["id"]}}, token=admin_token)
    api.post(f"{V3}/users", {"user": {"name": "u", "domain_id": domain["id"]}}, token=admin_token)
    api.post(f"{V3}/groups", {"group": {"name": "g", "domain_id": domain["id"]}}, token=admin_token)
    api.patch(f"{V3}/domains/{domain['id']}", {"domain": {"enabled": False}}, token=admin_token)
    assert api.delete(f"{V3}/domains/{domain['id']}", token=admin_token).status_code == 204
    for kind in ("projects", "users", "groups"):
        assert api.get(f"{V3}/{kind}?domain_id={domain['id']}", token=admin_token).json()[kind] == []


@pytest.mark.parametrize("body", [
    {"domain": {}},
    {"domain": {"name": 5}},
    {"domain": {"name": ""}},
    {"domain": {"name": "x", "enabled": "yes"}},
    {"domain": {"name": "x", "tags": "a"}},
    {"domain": "nope"},
    {},
])
def test_bad_domain_bodies_are_400(api, admin_token, body):
    response = api.post(f"{V3}/domains", body, token=admin_token)
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"code", "title", "message"}


def test_duplicate_domain_name_is_409(api, admin_token):
    assert api.post(f"{V3}/domains", {"domain": {"name": "dup"}}, token=admin_token).status_code == 201
    response = api.post(f"{V3}/domains", {"domain": {"name": "dup"}}, token=admin_token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == 409


def test_malformed_json_is_400(api, admin_token):
    response = api.post(f"{V3}/domains", raw="{nope", token=admin_token)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400


def test_member_cannot_touch_domains(api, demo_token):
    assert api.get(f"{V3}/domains", token=demo_token).status_code == 403
    assert api.post(f"{V3}/domains", {"domain": {"name": "x"}}, token=demo_token).status_code == 403
    # A user may read their own domain, as Keystone allows.
    assert api.get(f"{V3}/domains/default", token=demo_token).status_code == 200


def test_default_domain_cannot_be_disabled_or_deleted(api, admin_token):
    assert api.patch(f"{V3}/domains/default", {"domain": {"enabled": False}}, token=admin_token).status_code == 403
    assert api.delete(f"{V3}/domains/default", token=admin_token).status_code == 403
    assert api.get(f"{V3}/domains/default", token=admin_token).json()["domain"]["enabled"] is True
