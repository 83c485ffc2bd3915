import pytest

from identity.models import Project, Role, User


@pytest.fixture
def ids(bootstrapped):
    """Ids of the bootstrap's rows by name."""
    return {
        "admin_project": Project.objects.get(name="admin").id,
        "demo_project": Project.objects.get(name="demo").id,
        "admin_user": User.objects.get(name="admin").id,
        "demo_user": User.objects.get(name="demo").id,
        "admin_role": Role.objects.get(name="admin").id,
        "member_role": Role.objects.get(name="member").id,
        "reader_role": Role.objects.get(name="reader").id,
    }


@pytest.fixture
def make_user(api, admin_token, issue_token):
    """make_user(name, password, project=None, role=None) -> user id, through the API."""

    def make(name, password="pw-" + "x" * 8, project_id=None, role_id=None, **attrs):
        response = api.post("/identity/v3/users", {"user": {"name": name, "password": password,
                                                            "domain_id": "default", **attrs}},
                            token=admin_token)
        assert response.status_code == 201, response.content
        user_id = response.json()["user"]["id"]
        if project_id and role_id:
            granted = api.put(f"/identity/v3/projects/{project_id}/users/{user_id}/roles/{role_id}",
                              token=admin_token)
            assert granted.status_code == 204, granted.content
        return user_id

    return make
