import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def test_group_lifecycle_and_membership(api, admin_token, make_user):
    created = api.post(f"{V3}/groups", {"group": {"name": "ops", "description": "Operators"}}, token=admin_token)
    assert created.status_code == 201, created.content
    group = created.json()["group"]
    assert group["domain_id"] == "default"
    user_id = make_user("opsy")
    member = f"{V3}/groups/{group['id']}/users/{user_id}"
    assert api.head(member, token=admin_token).status_code == 404
    assert api.put(member, token=admin_token).status_code == 204
    assert api.put(member, token=admin_token).status_code == 204  # idempotent
    assert api.head(member, token=admin_token).status_code == 204
    assert [u["id"] for u in api.get(f"{V3}/groups/{group['id']}/users", token=admin_token).json()["users"]] \
        == [user_id]
    assert [g["name"] for g in api.get(f"{V3}/users/{user_id}/groups", token=admin_token).json()["groups"]] \
        == ["ops"]
    assert api.delete(member, token=admin_token).status_code == 204
    assert api.delete(member, token=admin_token).status_code == 404
    renamed = api.patch(f"{V3}/groups/{group['id']}", {"group": {"name": "ops2"}}, token=admin_token)
    assert renamed.json()["group"]["name"] == "ops2"
    assert [g["name"] for g in api.get(f"{V3}/groups?name=ops2", token=admin_token).json()["groups"]] == ["ops2"]
    assert api.delete(f"{V3}/groups/{group['id']}", token=admin_token).status_code == 204
    assert api.get(f"{V3}/groups/{group['id']}", token=admin_token).status_code == 404


def test_group_errors(api, admin_token, ids):
    assert api.post(f"{V3}/groups", {"group": {}}, token=admin_token).status_code == 400
    api.post(f"{V3}/groups", {"group": {"name": "same"}}, token=admin_token)
    assert api.post(f"{V3}/groups", {"group": {"name": "same"}}, token=admin_token).status_code == 409
    assert api.put(f"{V3}/groups/missing/users/{ids['demo_user']}", token=admin_token).status_code == 404
    group = api.get(f"{V3}/groups?name=same", token=admin_token).json()["groups"][0]
    assert api.put(f"{V3}/groups/{group['id']}/users/missing", token=admin_token).status_code == 404


def test_member_cannot_manage_groups(api, demo_token, admin_token, ids):
    assert api.get(f"{V3}/groups", token=demo_token).status_code == 403
    assert api.post(f"{V3}/groups", {"group": {"name": "x"}}, token=demo_token).status_code == 403
    group = api.post(f"{V3}/groups", {"group": {"name": "g"}}, token=admin_token).json()["group"]
    assert api.put(f"{V3}/groups/{group['id']}/users/{ids['demo_user']}", token=demo_token).status_code == 403
    # Own groups are visible to the user.
    assert api.get(f"{V3}/users/{ids['demo_user']}/groups", token=demo_token).status_code == 200
