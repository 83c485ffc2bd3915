import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def test_role_lifecycle(api, admin_token):
    created = api.post(f"{V3}/roles", {"role": {"name": "auditor", "description": "reads logs"}}, token=admin_token)
    assert created.status_code == 201, created.content
    role = created.json()["role"]
    assert api.get(f"{V3}/roles/{role['id']}", token=admin_token).json()["role"]["name"] == "auditor"
    assert [r["name"] for r in api.get(f"{V3}/roles?name=auditor", token=admin_token).json()["roles"]] == ["auditor"]
    assert api.patch(f"{V3}/roles/{role['id']}", {"role": {"name": "auditor2"}},
                     token=admin_token).json()["role"]["name"] == "auditor2"
    assert api.post(f"{V3}/roles", {"role": {"name": "member"}}, token=admin_token).status_code == 409
    assert api.post(f"{V3}/roles", {"role": {"name": None}}, token=admin_token).status_code == 400
    assert api.delete(f"{V3}/roles/{role['id']}", token=admin_token).status_code == 204
    assert api.get(f"{V3}/roles/{role['id']}", token=admin_token).status_code == 404


def test_implied_roles(api, admin_token, ids):
    prior = api.post(f"{V3}/roles", {"role": {"name": "lead"}}, token=admin_token).json()["role"]
    url = f"{V3}/roles/{prior['id']}/implies/{ids['member_role']}"
    assert api.head(url, token=admin_token).status_code == 404
    created = api.put(url, token=admin_token)
    assert created.status_code == 201, created.content
    inference = created.json()["role_inference"]
    assert inference["prior_role"]["id"] == prior["id"] and inference["implies"]["name"] == "member"
    assert api.head(url, token=admin_token).status_code == 204
    assert api.get(url, token=admin_token).json()["role_inference"]["implies"]["id"] == ids["member_role"]
    listed = api.get(f"{V3}/roles/{prior['id']}/implies", token=admin_token).json()["role_inference"]
    assert [r["name"] for r in listed["implies"]] == ["member"]
    inferences = api.get(f"{V3}/role_inferences", token=admin_token).json()["role_inferences"]
    by_prior = {i["prior_role"]["name"]: [r["name"] for r in i["implies"]] for i in inferences}
    assert by_prior == {"admin": ["member"], "member": ["reader"], "lead": ["member"]}
    # Cycles and implying admin are refused.
    assert api.put(f"{V3}/roles/{ids['reader_role']}/implies/{prior['id']}", token=admin_token).status_code == 400
    assert api.put(f"{V3}/roles/{prior['id']}/implies/{ids['admin_role']}", token=admin_token).status_code == 403
    assert api.delete(url, token=admin_token).status_code == 204
    assert api.delete(url, token=admin_token).status_code == 404


def test_implied_role_shows_up_in_tokens(api, admin_token, issue_token, make_user, ids):
    prior = api.post(f"{V3}/roles", {"role": {"name": "lead"}}, token=admin_token).json()["role"]
    api.put(f"{V3}/roles/{prior['id']}/implies/{ids['member_role']}", token=admin_token)
    make_user("leader", "leaderpw", ids["demo_project"], prior["id"])
    token = issue_token("leader", "leaderpw", "demo")
    body = api.get(f"{V3}/auth/tokens", token=admin_token, headers={"X-Subject-Token": token}).json()["token"]
    assert {r["name"] for r in body["roles"]} == {"lead", "member", "reader"}


def test_reader_reads_roles_member_cannot_write(api, demo_token):
    assert api.get(f"{V3}/roles", token=demo_token).status_code == 200
    assert api.post(f"{V3}/roles", {"role": {"name": "x"}}, token=demo_token).status_code == 403
