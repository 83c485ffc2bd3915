"""Every identity write answers bad input with Keystone's error body and a 4xx, never a 500."""

import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"

WRITES = [
    ("post", "domains", "domain"),
    ("patch", "domains/default", "domain"),
    ("post", "projects", "project"),
    ("patch", "projects/{demo_project}", "project"),
    ("post", "users", "user"),
    ("patch", "users/{demo_user}", "user"),
    ("post", "users/{admin_user}/password", "user"),
    ("post", "groups", "group"),
    ("post", "roles", "role"),
    ("patch", "roles/{reader_role}", "role"),
    ("post", "regions", "region"),
    ("patch", "regions/RegionOne", "region"),
    ("post", "services", "service"),
    ("post", "endpoints", "endpoint"),
    ("post", "users/{admin_user}/application_credentials", "application_credential"),
]
NAMED = {"domain", "project", "user", "group", "role", "application_credential"}
BAD_BODIES = [
    "[]",
    '"text"',
    "{}",
    '{"KEY": []}',
    '{"KEY": null}',
    '{"KEY": {"name": {"a": 1}, "enabled": "no", "description": 5, "tags": [1], "id": ["x"]}}',
    '{"KEY": {"ctx": 1}}',
    "{broken",
]


@pytest.mark.parametrize("method,path,key", WRITES)
def test_bad_bodies_are_4xx(api, admin_token, ids, method, path, key):
    url = f"{V3}/" + path.format(**ids)
    bodies = list(BAD_BODIES)
    if key in NAMED and method == "post":
        bodies.append('{"KEY": {"name": "' + "n" * 300 + '"}}')
    for raw in bodies:
        response = getattr(api, method)(url, raw=raw.replace("KEY", key), token=admin_token)
        assert 400 <= response.status_code < 500, (raw, response.status_code, response.content)
        error = response.json()["error"]
        assert error["code"] == response.status_code and error["title"] and error["message"]


@pytest.mark.parametrize("path", [
    "domains/nope", "projects/nope", "users/nope", "groups/nope", "roles/nope", "regions/nope", "services/nope",
    "endpoints/nope", "users/nope/projects", "users/nope/groups", "groups/nope/users", "roles/nope/implies",
    "users/{admin_user}/application_credentials/nope", "projects/" + "x" * 400,
])
def test_unknown_ids_are_404(api, admin_token, ids, path):
    response = api.get(f"{V3}/" + path.format(**ids), token=admin_token)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == 404


@pytest.mark.parametrize("query", ["effective=maybe&group.id=x", "scope.system=some", "include_subtree=1",
                                   "scope.OS-INHERIT:inherited_to=domains",
                                   "scope.project.id=a&scope.domain.id=b"])
def test_bad_role_assignment_queries_are_400(api, admin_token, query):
    response = api.get(f"{V3}/role_assignments?{query}", token=admin_token)
    assert response.status_code == 400, response.content


def test_nothing_half_written(api, admin_token):
    before = api.get(f"{V3}/users", token=admin_token).json()["users"]
    response = api.post(f"{V3}/users", {"user": {"name": "half", "default_project_id": "missing"}},
                        token=admin_token)
    assert response.status_code == 404
    assert api.get(f"{V3}/users", token=admin_token).json()["users"] == before
