import pytest

from identity.models import User
from identity.services import revocation

pytestmark = pytest.mark.django_db


def password_auth(user="admin", password="adminpw", scope=None):
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "domain": {"name": "Default"}, "password": password}}}}
    if scope is not None:
        auth["scope"] = scope
    return {"auth": auth}


def test_issue_project_scoped_token_with_catalog(api, bootstrapped):
    response = api.post("/identity/v3/auth/tokens",
                        password_auth(scope={"project": {"name": "admin", "domain": {"id": "default"}}}))
    assert response.status_code == 201
    token = response.json()["token"]
    assert response["X-Subject-Token"]
    assert token["project"]["name"] == "admin"
    assert {r["name"] for r in token["roles"]} == {"admin", "member", "reader"}
    assert token["expires_at"].endswith("Z") and len(token["expires_at"]) == 27
    types = {entry["type"] for entry in token["catalog"]}
    assert {"identity", "compute", "image", "volumev3", "block-storage", "network", "object-store"} <= types
    volume = next(e for e in token["catalog"] if e["type"] == "volumev3")
    assert all(ep["url"].endswith(token["project"]["id"]) for ep in volume["endpoints"])
    assert all(ep["region"] == "RegionOne" for ep in volume["endpoints"])


def test_wrong_password_is_401_in_keystone_shape(api, bootstrapped):
    response = api.post("/identity/v3/auth/tokens", password_auth(password="nope"))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401
    assert "Keystone uri=" in response["WWW-Authenticate"]


@pytest.mark.parametrize("raw", ["{not json", "[]", '{"auth": 5}', '{"auth": {"identity": {"methods": "password"}}}'])
def test_malformed_auth_requests_are_400(api, bootstrapped, raw):
    response = api.post("/identity/v3/auth/tokens", raw=raw)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == 400


def test_validate_head_and_revoke(api, admin_token, demo_token):
    assert api.get("/identity/v3/auth/tokens", token=admin_token,
                   headers={"X-Subject-Token": demo_token}).status_code == 200
    assert api.head("/identity/v3/auth/tokens", token=demo_token,
                    headers={"X-Subject-Token": demo_token}).status_code == 200
    # A member may not look at someone else's token.
    assert api.get("/identity/v3/auth/tokens", token=demo_token,
                   headers={"X-Subject-Token": admin_token}).status_code == 403
    assert api.delete("/identity/v3/auth/tokens", token=demo_token,
                      headers={"X-Subject-Token": demo_token}).status_code == 204
    assert api.get("/identity/v3/auth/tokens", token=admin_token,
                   headers={"X-Subject-Token": demo_token}).status_code == 404
    assert api.get("/identity/v3/auth/catalog", token=demo_token).status_code == 401


def test_garbage_subject_token_is_404(api, admin_token):
    response = api.get("/identity/v3/auth/tokens", token=admin_token, headers={"X-Subject-Token": "garbage"})
    assert response.status_code == 404


def test_rescope_with_token_method_keeps_audit_chain(api, bootstrapped):
    unscoped = api.post("/identity/v3/auth/tokens", password_auth(user="demo", password="demopw",
                                                                   scope="unscoped"))
    assert unscoped.status_code == 201
    assert "project" not in unscoped.json()["token"]
    rescoped = api.post("/identity/v3/auth/tokens", {"auth": {
        "identity": {"methods": ["token"], "token": {"id": unscoped["X-Subject-Token"]}},
        "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}})
    assert rescoped.status_code == 201
    body = rescoped.json()["token"]
    assert body["project"]["name"] == "demo"
    assert body["audit_ids"][1] == unscoped.json()["token"]["audit_ids"][0]


def test_no_roles_on_project_is_401(api, bootstrapped):
    response = api.post("/identity/v3/auth/tokens", password_auth(
        user="demo", password="demopw", scope={"project": {"name": "admin", "domain": {"id": "default"}}}))
    assert response.status_code == 401


def test_system_and_domain_scope(api, bootstrapped):
    system = api.post("/identity/v3/auth/tokens", password_auth(scope={"system": {"all": True}}))
    assert system.status_code == 201
    assert system.json()["token"]["system"] == {"all": True}
    domain = api.post("/identity/v3/auth/tokens", password_auth(scope={"domain": {"id": "default"}}))
    assert domain.status_code == 401  # admin has no role on the domain itself


def test_user_revocation_event_invalidates_existing_tokens(api, demo_token):
    user = User.objects.get(name="demo")
    revocation.revoke(user_id=user.id)
    assert api.get("/identity/v3/auth/catalog", token=demo_token).status_code == 401
    fresh = api.post("/identity/v3/auth/tokens", password_auth(user="demo", password="demopw"))
    assert fresh.status_code == 201
    assert api.get("/identity/v3/auth/catalog", token=fresh["X-Subject-Token"]).status_code == 200


def test_version_documents(api, db):
    root = api.get("/identity")
    assert root.status_code == 300
    assert root.json()["versions"]["values"][0]["id"] == "v3.14"
    v3 = api.get("/identity/v3")
    assert v3.json()["version"]["links"][0]["href"].endswith("/identity/v3/")


def test_every_response_has_a_request_id(api, db):
    assert api.get("/identity/v3")["x-openstack-request-id"].startswith("req-")
