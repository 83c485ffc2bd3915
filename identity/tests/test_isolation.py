"""A member of one project reads nothing of another; a reader writes nothing in identity."""

import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


@pytest.fixture
def reader_token(make_user, issue_token, ids):
    make_user("viewer", "viewerpw", ids["demo_project"], ids["reader_role"])
    return issue_token("viewer", "viewerpw", "demo")


def test_demo_cannot_see_admin_things(api, demo_token, ids):
    assert api.get(f"{V3}/users", token=demo_token).status_code == 403
    assert api.get(f"{V3}/projects", token=demo_token).status_code == 403
    assert api.get(f"{V3}/projects/{ids['admin_project']}", token=demo_token).status_code == 403
    assert api.get(f"{V3}/users/{ids['admin_user']}", token=demo_token).status_code == 403
    assert api.get(f"{V3}/users/{ids['admin_user']}/projects", token=demo_token).status_code == 403
    assert api.get(f"{V3}/projects/{ids['admin_project']}/users/{ids['admin_user']}/roles",
                   token=demo_token).status_code == 403
    assert api.get(f"{V3}/role_assignments?scope.project.id={ids['admin_project']}",
                   token=demo_token).status_code == 403
    # What is theirs they see.
    assert api.get(f"{V3}/projects/{ids['demo_project']}", token=demo_token).status_code == 200
    assert api.get(f"{V3}/users/{ids['demo_user']}", token=demo_token).status_code == 200
    assert [p["name"] for p in api.get(f"{V3}/auth/projects", token=demo_token).json()["projects"]] == ["demo"]


WRITES = [
    ("post", "domains", {"domain": {"name": "x"}}),
    ("post", "projects", {"project": {"name": "x"}}),
    ("patch", "projects/{demo_project}", {"project": {"description": "x"}}),
    ("delete", "projects/{demo_project}", None),
    ("post", "users", {"user": {"name": "x"}}),
    ("patch", "users/{demo_user}", {"user": {"email": "x"}}),
    ("post", "groups", {"group": {"name": "x"}}),
    ("post", "roles", {"role": {"name": "x"}}),
    ("put", "roles/{member_role}/implies/{reader_role}", None),
    ("put", "projects/{demo_project}/users/{demo_user}/roles/{admin_role}", None),
    ("delete", "projects/{demo_project}/users/{demo_user}/roles/{member_role}", None),
    ("put", "system/users/{demo_user}/roles/{admin_role}", None),
    ("post", "regions", {"region": {"id": "x"}}),
    ("post", "services", {"service": {"type": "x"}}),
    ("post", "endpoints", {"endpoint": {"service_id": "x", "interface": "public", "url": "http://x"}}),
]


@pytest.mark.parametrize("method,path,body", WRITES)
def test_members_and_readers_write_nothing(api, demo_token, reader_token, ids, method, path, body):
    url = f"{V3}/" + path.format(**ids)
    for token in (demo_token, reader_token):
        response = getattr(api, method)(url, body, token=token) if body is not None else \
            getattr(api, method)(url, token=token)
        assert response.status_code == 403, (path, response.content)
        assert response.json()["error"]["code"] == 403


def test_reader_reads_own_project(api, reader_token, ids):
    assert api.get(f"{V3}/projects/{ids['demo_project']}", token=reader_token).status_code == 200
    assert api.get(f"{V3}/roles", token=reader_token).status_code == 200


def test_no_token_is_401(api, db):
    response = api.get(f"{V3}/users")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401
