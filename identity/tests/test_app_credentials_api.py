import datetime as dt

import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def app_cred_auth(credential_id, secret):
    return {"auth": {"identity": {"methods": ["application_credential"],
                                  "application_credential": {"id": credential_id, "secret": secret}}}}


def create(api, token, user_id, **body):
    return api.post(f"{V3}/users/{user_id}/application_credentials", {"application_credential": body}, token=token)


def test_create_authenticate_list_delete(api, demo_token, ids):
    response = create(api, demo_token, ids["demo_user"], name="ci", description="for CI",
                      roles=[{"name": "reader"}])
    assert response.status_code == 201, response.content
    credential = response.json()["application_credential"]
    assert credential["secret"] and credential["project_id"] == ids["demo_project"]
    assert [r["name"] for r in credential["roles"]] == ["reader"] and credential["unrestricted"] is False

    token = api.post(f"{V3}/auth/tokens", app_cred_auth(credential["id"], credential["secret"]))
    assert token.status_code == 201, token.content
    body = token.json()["token"]
    assert body["project"]["id"] == ids["demo_project"]
    assert [r["name"] for r in body["roles"]] == ["reader"]
    assert body["application_credential"]["id"] == credential["id"]
    app_token = token["X-Subject-Token"]

    shown = api.get(f"{V3}/users/{ids['demo_user']}/application_credentials/{credential['id']}", token=demo_token)
    assert shown.status_code == 200 and "secret" not in shown.json()["application_credential"]
    listed = api.get(f"{V3}/users/{ids['demo_user']}/application_credentials?name=ci", token=demo_token).json()
    assert [c["id"] for c in listed["application_credentials"]] == [credential["id"]]
    assert "secret" not in listed["application_credentials"][0]

    # A restricted app-cred token may not make more credentials.
    refused = create(api, app_token, ids["demo_user"], name="more")
    assert refused.status_code == 403

    assert api.delete(f"{V3}/users/{ids['demo_user']}/application_credentials/{credential['id']}",
                      token=demo_token).status_code == 204
    assert api.get(f"{V3}/auth/catalog", token=app_token).status_code == 401
    assert api.post(f"{V3}/auth/tokens", app_cred_auth(credential["id"], credential["secret"])).status_code == 401


def test_given_secret_role_by_id_expiry_and_unrestricted(api, demo_token, ids):
    expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
    response = create(api, demo_token, ids["demo_user"], name="own-secret", secret="my-secret",
                      roles=[{"id": ids["member_role"]}], expires_at=expires, unrestricted=True)
    assert response.status_code == 201, response.content
    credential = response.json()["application_credential"]
    assert credential["secret"] == "my-secret" and credential["expires_at"].startswith(expires)
    token = api.post(f"{V3}/auth/tokens", app_cred_auth(credential["id"], "my-secret"))
    assert token.status_code == 201
    assert {r["name"] for r in token.json()["token"]["roles"]} == {"member", "reader"}
    # An unrestricted credential's token may manage credentials.
    assert create(api, token["X-Subject-Token"], ids["demo_user"], name="child").status_code == 201
    assert api.post(f"{V3}/auth/tokens", app_cred_auth(credential["id"], "wrong")).status_code == 401


@pytest.mark.parametrize("body,status", [
    ({}, 400),
    ({"name": "x", "roles": [{"name": "admin"}]}, 400),
    ({"name": "x", "roles": "member"}, 400),
    ({"name": "x", "expires_at": "2001-01-01T00:00:00"}, 400),
    ({"name": "x", "expires_at": "tomorrow"}, 400),
    ({"name": "x", "unrestricted": "yes"}, 400),
])
def test_bad_app_credentials(api, demo_token, ids, body, status):
    response = create(api, demo_token, ids["demo_user"], **body)
    assert response.status_code == status, response.content


def test_duplicate_name_and_other_users(api, demo_token, admin_token, ids):
    assert create(api, demo_token, ids["demo_user"], name="dup").status_code == 201
    assert create(api, demo_token, ids["demo_user"], name="dup").status_code == 409
    # Nobody creates credentials for someone else, and a member sees only their own.
    assert create(api, admin_token, ids["demo_user"], name="x").status_code == 403
    assert api.get(f"{V3}/users/{ids['admin_user']}/application_credentials", token=demo_token).status_code == 403
    assert api.get(f"{V3}/users/{ids['demo_user']}/application_credentials/missing",
                   token=demo_token).status_code == 404


def test_losing_the_role_invalidates_app_cred_tokens(api, demo_token, admin_token, ids):
    credential = create(api, demo_token, ids["demo_user"], name="ci",
                        roles=[{"name": "member"}]).json()["application_credential"]
    token = api.post(f"{V3}/auth/tokens", app_cred_auth(credential["id"], credential["secret"]))["X-Subject-Token"]
    api.delete(f"{V3}/projects/{ids['demo_project']}/users/{ids['demo_user']}/roles/{ids['member_role']}",
               token=admin_token)
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401
