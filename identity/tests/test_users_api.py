import pytest
from django.contrib.auth.hashers import check_password

from identity.models import DomainConfig, User

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def password_auth(name, password, project=None):
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": name, "domain": {"id": "default"}, "password": password}}}}
    if project:
        auth["scope"] = {"project": {"name": project, "domain": {"id": "default"}}}
    return {"auth": auth}


def test_user_create_never_echoes_the_password(api, admin_token, ids):
    response = api.post(f"{V3}/users", {"user": {
        "name": "bob", "password": "s3cret-pw", "email": "bob@example.org", "default_project_id": ids["demo_project"],
        "description": "Bob", "team": "blue"}}, token=admin_token)
    assert response.status_code == 201, response.content
    user = response.json()["user"]
    assert "password" not in user and "s3cret-pw" not in response.content.decode()
    assert user["email"] == "bob@example.org" and user["team"] == "blue"
    assert user["default_project_id"] == ids["demo_project"] and user["domain_id"] == "default"
    row = User.objects.get(id=user["id"])
    assert row.password != "s3cret-pw" and check_password("s3cret-pw", row.password)
    shown = api.get(f"{V3}/users/{user['id']}", token=admin_token).json()["user"]
    assert "password" not in shown and shown["team"] == "blue"


def test_user_filters_and_update(api, admin_token, make_user):
    user_id = make_user("carol")
    assert [u["id"] for u in api.get(f"{V3}/users?name=carol", token=admin_token).json()["users"]] == [user_id]
    assert api.get(f"{V3}/users?domain_id=other", token=admin_token).json()["users"] == []
    updated = api.patch(f"{V3}/users/{user_id}", {"user": {"email": "c@x", "team": None, "name": "caroline"}},
                        token=admin_token)
    assert updated.status_code == 200
    assert updated.json()["user"]["name"] == "caroline" and updated.json()["user"]["email"] == "c@x"


@pytest.mark.parametrize("user,status", [
    ({}, 400),
    ({"name": 3}, 400),
    ({"name": "x", "password": 12}, 400),
    ({"name": "x", "enabled": "true"}, 400),
    ({"name": "x", "default_project_id": "nope"}, 404),
    ({"name": "x", "domain_id": "nope"}, 404),
    ({"name": "admin"}, 409),
])
def test_bad_user_input(api, admin_token, user, status):
    response = api.post(f"{V3}/users", {"user": user}, token=admin_token)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == status


def test_disabling_a_user_revokes_their_tokens(api, admin_token, issue_token, ids):
    token = issue_token("demo", "demopw", "demo")
    assert api.patch(f"{V3}/users/{ids['demo_user']}", {"user": {"enabled": False}},
                     token=admin_token).status_code == 200
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401
    assert api.post(f"{V3}/auth/tokens", password_auth("demo", "demopw")).status_code == 401


def test_deleting_a_user_revokes_their_tokens(api, admin_token, issue_token, make_user, ids):
    user_id = make_user("temp", "temppw", ids["demo_project"], ids["member_role"])
    token = issue_token("temp", "temppw", "demo")
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 200
    assert api.delete(f"{V3}/users/{user_id}", token=admin_token).status_code == 204
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401
    assert api.get(f"{V3}/users/{user_id}", token=admin_token).status_code == 404


def test_admin_password_reset_revokes_tokens(api, admin_token, issue_token, ids):
    token = issue_token("demo", "demopw", "demo")
    api.patch(f"{V3}/users/{ids['demo_user']}", {"user": {"password": "newdemo"}}, token=admin_token)
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401
    assert api.post(f"{V3}/auth/tokens", password_auth("demo", "newdemo")).status_code == 201


def test_change_own_password(api, demo_token, admin_token, ids):
    url = f"{V3}/users/{ids['demo_user']}/password"
    wrong = api.post(url, {"user": {"original_password": "wrong", "password": "next-pw"}}, token=demo_token)
    assert wrong.status_code == 401
    assert api.get(f"{V3}/auth/catalog", token=demo_token).status_code == 200
    assert api.post(url, {"user": {"password": "next-pw"}}, token=demo_token).status_code == 400
    # Nobody changes someone else's password this way, not even an admin.
    assert api.post(url, {"user": {"original_password": "demopw", "password": "x"}},
                    token=admin_token).status_code == 403
    done = api.post(url, {"user": {"original_password": "demopw", "password": "next-pw"}}, token=demo_token)
    assert done.status_code == 204
    assert api.get(f"{V3}/auth/catalog", token=demo_token).status_code == 401
    assert api.post(f"{V3}/auth/tokens", password_auth("demo", "demopw")).status_code == 401
    assert api.post(f"{V3}/auth/tokens", password_auth("demo", "next-pw", "demo")).status_code == 201


def test_member_sees_only_themselves(api, demo_token, ids):
    assert api.get(f"{V3}/users", token=demo_token).status_code == 403
    assert api.get(f"{V3}/users/{ids['demo_user']}", token=demo_token).status_code == 200
    assert api.get(f"{V3}/users/{ids['admin_user']}", token=demo_token).status_code == 403
    assert api.patch(f"{V3}/users/{ids['demo_user']}", {"user": {"email": "x"}}, token=demo_token).status_code == 403
    assert api.post(f"{V3}/users", {"user": {"name": "x"}}, token=demo_token).status_code == 403
    assert api.delete(f"{V3}/users/{ids['admin_user']}", token=demo_token).status_code == 403


def test_read_only_backend_refuses_writes(api, admin_token, db):
    domain = api.post(f"{V3}/domains", {"domain": {"name": "directory"}}, token=admin_token).json()["domain"]
    user = api.post(f"{V3}/users", {"user": {"name": "local", "domain_id": domain["id"], "password": "pw"}},
                    token=admin_token).json()["user"]
    group = api.post(f"{V3}/groups", {"group": {"name": "g", "domain_id": domain["id"]}},
                     token=admin_token).json()["group"]
    # From now on the domain's users come from a directory (read-only).
    DomainConfig.objects.create(domain_id=domain["id"], driver="ldap",
                                ldap={"url": "ldap://127.0.0.1:1", "user_tree_dn": "ou=u,dc=x"})
    assert api.post(f"{V3}/users", {"user": {"name": "new", "domain_id": domain["id"]}},
                    token=admin_token).status_code == 403
    assert api.patch(f"{V3}/users/{user['id']}", {"user": {"email": "x"}}, token=admin_token).status_code == 403
    assert api.delete(f"{V3}/users/{user['id']}", token=admin_token).status_code == 403
    assert api.post(f"{V3}/groups", {"group": {"name": "h", "domain_id": domain["id"]}},
                    token=admin_token).status_code == 403
    assert api.put(f"{V3}/groups/{group['id']}/users/{user['id']}", token=admin_token).status_code == 403
    assert api.delete(f"{V3}/groups/{group['id']}", token=admin_token).status_code == 403


def test_user_list_query_count(api, admin_token, make_user, django_assert_max_num_queries):
    for index in range(15):
        make_user(f"many-{index}")
    api.get(f"{V3}/users", token=admin_token)
    with django_assert_max_num_queries(4):
        response = api.get(f"{V3}/users", token=admin_token)
    assert len(response.json()["users"]) >= 17
