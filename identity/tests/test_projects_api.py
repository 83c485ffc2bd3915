import pytest
from django.contrib.auth.models import Group as AuthGroup

from identity.models import Project

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


def create(api, token, **project):
    return api.post(f"{V3}/projects", {"project": project}, token=token)


def test_project_create_show_update_and_guardian_group(api, admin_token):
    response = create(api, admin_token, name="web", description="d", tags=["x", "y"])
    assert response.status_code == 201, response.content
    project = response.json()["project"]
    assert project["domain_id"] == "default" and project["parent_id"] == "default"
    assert project["tags"] == ["x", "y"] and project["enabled"] is True and project["is_domain"] is False
    row = Project.objects.get(id=project["id"])
    assert row.auth_group is not None and row.auth_group.name == f"project:{row.id}"

    updated = api.patch(f"{V3}/projects/{project['id']}", {"project": {"name": "web2", "enabled": False}},
                        token=admin_token)
    assert updated.status_code == 200
    assert updated.json()["project"]["name"] == "web2" and updated.json()["project"]["enabled"] is False
    assert api.get(f"{V3}/projects/{project['id']}", token=admin_token).json()["project"]["name"] == "web2"


def test_project_filters(api, admin_token):
    parent = create(api, admin_token, name="parent").json()["project"]
    child = create(api, admin_token, name="child", parent_id=parent["id"]).json()["project"]
    assert child["parent_id"] == parent["id"] and child["domain_id"] == "default"
    create(api, admin_token, name="off", enabled=False)

    def names(query):
        response = api.get(f"{V3}/projects?{query}", token=admin_token)
        assert response.status_code == 200, response.content
        return sorted(p["name"] for p in response.json()["projects"])

    assert names("name=child") == ["child"]
    assert names(f"parent_id={parent['id']}") == ["child"]
    assert "parent" in names("parent_id=default") and "child" not in names("parent_id=default")
    assert names("enabled=false") == ["off"]
    assert "off" not in names("enabled=true")
    assert "admin" in names("domain_id=default")
    assert names("domain_id=nowhere") == []
    assert api.get(f"{V3}/projects?enabled=maybe", token=admin_token).status_code == 400


def test_project_with_children_cannot_be_deleted(api, admin_token):
    parent = create(api, admin_token, name="p").json()["project"]
    child = create(api, admin_token, name="c", parent_id=parent["id"]).json()["project"]
    refused = api.delete(f"{V3}/projects/{parent['id']}", token=admin_token)
    assert refused.status_code == 403
    assert api.delete(f"{V3}/projects/{child['id']}", token=admin_token).status_code == 204
    group_id = Project.objects.get(id=parent["id"]).auth_group_id
    assert api.delete(f"{V3}/projects/{parent['id']}", token=admin_token).status_code == 204
    assert not AuthGroup.objects.filter(id=group_id).exists()
    assert api.get(f"{V3}/projects/{parent['id']}", token=admin_token).status_code == 404


@pytest.mark.parametrize("project,status", [
    ({}, 400),
    ({"name": ["x"]}, 400),
    ({"name": "x", "enabled": 1}, 400),
    ({"name": "x", "tags": ["a/b"]}, 400),
    ({"name": "x", "parent_id": "missing"}, 404),
    ({"name": "x", "domain_id": "missing"}, 404),
    ({"name": "admin"}, 409),
])
def test_bad_project_input(api, admin_token, project, status):
    response = create(api, admin_token, **project)
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == status


def test_project_parent_and_domain_cannot_change(api, admin_token, ids):
    project = create(api, admin_token, name="fixed").json()["project"]
    for change in ({"domain_id": "other"}, {"parent_id": ids["admin_project"]}, {"bogus": 1}):
        response = api.patch(f"{V3}/projects/{project['id']}", {"project": change}, token=admin_token)
        assert response.status_code == 400, (change, response.content)


def test_name_lookup_is_404_then_name_filter(api, admin_token):
    # What `openstack ... --project admin` does first.
    assert api.get(f"{V3}/projects/admin", token=admin_token).status_code == 404
    assert len(api.get(f"{V3}/projects?name=admin", token=admin_token).json()["projects"]) == 1


def test_disabling_a_project_invalidates_its_tokens(api, admin_token, issue_token, ids):
    token = issue_token("demo", "demopw", "demo")
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 200
    api.patch(f"{V3}/projects/{ids['demo_project']}", {"project": {"enabled": False}}, token=admin_token)
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401
    api.patch(f"{V3}/projects/{ids['demo_project']}", {"project": {"enabled": True}}, token=admin_token)
    # Re-enabling does not bring the old token back: it was revoked, not just refused.
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401


def test_deleting_a_project_invalidates_its_tokens(api, admin_token, issue_token, make_user, ids):
    project = create(api, admin_token, name="short-lived").json()["project"]
    make_user("tenant", "tenantpw", project["id"], ids["member_role"])
    token = issue_token("tenant", "tenantpw", "short-lived")
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 200
    assert api.delete(f"{V3}/projects/{project['id']}", token=admin_token).status_code == 204
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401


def test_user_projects(api, admin_token, demo_token, ids):
    own = api.get(f"{V3}/users/{ids['demo_user']}/projects", token=demo_token)
    assert own.status_code == 200
    assert [p["name"] for p in own.json()["projects"]] == ["demo"]
    assert api.get(f"{V3}/users/{ids['admin_user']}/projects", token=demo_token).status_code == 403


def test_project_list_query_count(api, admin_token, django_assert_max_num_queries):
    for index in range(15):
        create(api, admin_token, name=f"many-{index}", tags=["t"])
    api.get(f"{V3}/projects", token=admin_token)  # warm the token cache
    with django_assert_max_num_queries(4):
        response = api.get(f"{V3}/projects", token=admin_token)
    assert len(response.json()["projects"]) >= 15
