import pytest

pytestmark = pytest.mark.django_db
V3 = "/identity/v3"


@pytest.fixture
def world(api, admin_token, make_user, ids):
    """A user, a group with that user, a parent project with a child, and a fresh role."""
    user_id = make_user("alice", "alicepw")
    group = api.post(f"{V3}/groups", {"group": {"name": "team"}}, token=admin_token).json()["group"]
    api.put(f"{V3}/groups/{group['id']}/users/{user_id}", token=admin_token)
    parent = api.post(f"{V3}/projects", {"project": {"name": "parent"}}, token=admin_token).json()["project"]
    child = api.post(f"{V3}/projects", {"project": {"name": "child", "parent_id": parent["id"]}},
                     token=admin_token).json()["project"]
    return {**ids, "user": user_id, "group": group["id"], "parent": parent["id"], "child": child["id"]}


def assignments(api, token, query):
    response = api.get(f"{V3}/role_assignments?{query}", token=token)
    assert response.status_code == 200, response.content
    return response.json()["role_assignments"]


def test_project_user_grant_put_head_get_delete(api, admin_token, world):
    url = f"{V3}/projects/{world['parent']}/users/{world['user']}/roles/{world['member_role']}"
    assert api.head(url, token=admin_token).status_code == 404
    assert api.put(url, token=admin_token).status_code == 204
    assert api.head(url, token=admin_token).status_code == 204
    assert api.get(url, token=admin_token).status_code == 204
    roles = api.get(f"{V3}/projects/{world['parent']}/users/{world['user']}/roles", token=admin_token).json()
    assert [r["name"] for r in roles["roles"]] == ["member"]
    assert api.delete(url, token=admin_token).status_code == 204
    assert api.delete(url, token=admin_token).status_code == 404


@pytest.mark.parametrize("path", [
    "projects/missing/users/{user}/roles/{member_role}",
    "projects/{parent}/users/missing/roles/{member_role}",
    "projects/{parent}/users/{user}/roles/missing",
    "domains/missing/groups/{group}/roles/{member_role}",
    "system/users/missing/roles/{member_role}",
])
def test_grants_on_unknown_ids_are_404(api, admin_token, world, path):
    response = api.put(f"{V3}/" + path.format(**world), token=admin_token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 404


def test_role_assignment_body_is_keystone_shaped(api, admin_token, world):
    api.put(f"{V3}/projects/{world['parent']}/users/{world['user']}/roles/{world['member_role']}", token=admin_token)
    api.put(f"{V3}/domains/default/groups/{world['group']}/roles/{world['reader_role']}", token=admin_token)
    api.put(f"{V3}/OS-INHERIT/domains/default/groups/{world['group']}/roles/{world['member_role']}"
            "/inherited_to_projects", token=admin_token)
    api.put(f"{V3}/system/users/{world['user']}/roles/{world['reader_role']}", token=admin_token)

    direct = assignments(api, admin_token, f"user.id={world['user']}")
    assert len(direct) == 2
    project_entry = next(a for a in direct if "project" in a["scope"])
    assert project_entry == {
        "role": {"id": world["member_role"]},
        "user": {"id": world["user"]},
        "scope": {"project": {"id": world["parent"]}},
        "links": {"assignment": f"http://testserver/identity/v3/projects/{world['parent']}/users/{world['user']}"
                                f"/roles/{world['member_role']}"},
    }
    system_entry = next(a for a in direct if "system" in a["scope"])
    assert system_entry["scope"] == {"system": {"all": True}}

    group_entries = assignments(api, admin_token, f"group.id={world['group']}")
    inherited = next(a for a in group_entries if a["scope"].get("OS-INHERIT:inherited_to"))
    assert inherited["scope"] == {"domain": {"id": "default"}, "OS-INHERIT:inherited_to": "projects"}
    assert inherited["links"]["assignment"].endswith(
        f"/OS-INHERIT/domains/default/groups/{world['group']}/roles/{world['member_role']}/inherited_to_projects")
    assert [a["group"]["id"] for a in assignments(api, admin_token, "scope.OS-INHERIT:inherited_to=projects")] \
        == [world["group"]]


def test_include_names(api, admin_token, world):
    api.put(f"{V3}/projects/{world['parent']}/users/{world['user']}/roles/{world['member_role']}", token=admin_token)
    entry = assignments(api, admin_token, f"user.id={world['user']}&include_names=True")[0]
    assert entry["role"] == {"id": world["member_role"], "name": "member"}
    assert entry["user"] == {"id": world["user"], "name": "alice", "domain": {"id": "default", "name": "Default"}}
    assert entry["scope"]["project"] == {"id": world["parent"], "name": "parent",
                                         "domain": {"id": "default", "name": "Default"}}


def test_effective_expands_groups_inheritance_and_implied_roles(api, admin_token, world):
    api.put(f"{V3}/projects/{world['parent']}/groups/{world['group']}/roles/{world['member_role']}",
            token=admin_token)
    api.put(f"{V3}/OS-INHERIT/projects/{world['parent']}/users/{world['user']}/roles/{world['admin_role']}"
            "/inherited_to_projects", token=admin_token)
    effective = assignments(api, admin_token, f"user.id={world['user']}&effective")
    got = {(a["role"]["id"], a["scope"]["project"]["id"]) for a in effective}
    assert got == {
        (world["member_role"], world["parent"]), (world["reader_role"], world["parent"]),
        (world["admin_role"], world["child"]), (world["member_role"], world["child"]),
        (world["reader_role"], world["child"]),
    }
    assert all("group" not in a and a["user"]["id"] == world["user"] for a in effective)
    via_group = next(a for a in effective if a["role"]["id"] == world["member_role"]
                     and a["scope"]["project"]["id"] == world["parent"])
    assert via_group["links"]["membership"].endswith(f"/groups/{world['group']}/users/{world['user']}")
    implied = next(a for a in effective if a["role"]["id"] == world["reader_role"]
                   and a["scope"]["project"]["id"] == world["parent"])
    assert implied["links"]["prior_role"].endswith(f"/roles/{world['member_role']}")
    only_child = assignments(api, admin_token, f"user.id={world['user']}&effective&scope.project.id={world['child']}")
    assert {a["role"]["id"] for a in only_child} == {world["admin_role"], world["member_role"], world["reader_role"]}
    # The same effective roles make the token.
    assert api.get(f"{V3}/role_assignments?effective&group.id={world['group']}", token=admin_token).status_code == 400


def test_include_subtree(api, admin_token, world):
    api.put(f"{V3}/projects/{world['child']}/users/{world['user']}/roles/{world['member_role']}", token=admin_token)
    under = assignments(api, admin_token, f"scope.project.id={world['parent']}&include_subtree=True")
    assert [a["scope"]["project"]["id"] for a in under] == [world["child"]]
    assert assignments(api, admin_token, f"scope.project.id={world['parent']}") == []
    assert api.get(f"{V3}/role_assignments?include_subtree=True", token=admin_token).status_code == 400


def test_revoking_a_user_grant_revokes_the_tokens(api, admin_token, issue_token, world):
    url = f"{V3}/projects/{world['parent']}/users/{world['user']}/roles/{world['member_role']}"
    api.put(url, token=admin_token)
    # A second role on the project: the token would stay valid on recomputation alone.
    api.put(f"{V3}/projects/{world['parent']}/users/{world['user']}/roles/{world['reader_role']}", token=admin_token)
    token = issue_token("alice", "alicepw", "parent")
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 200
    assert api.delete(url, token=admin_token).status_code == 204
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401
    assert issue_token("alice", "alicepw", "parent")  # the remaining reader role still scopes


def test_revoking_a_group_grant_takes_the_role_away(api, admin_token, issue_token, world):
    url = f"{V3}/projects/{world['parent']}/groups/{world['group']}/roles/{world['member_role']}"
    api.put(url, token=admin_token)
    token = issue_token("alice", "alicepw", "parent")
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 200
    assert api.delete(url, token=admin_token).status_code == 204
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401


def test_removing_group_membership_takes_the_role_away(api, admin_token, issue_token, world):
    api.put(f"{V3}/projects/{world['parent']}/groups/{world['group']}/roles/{world['member_role']}",
            token=admin_token)
    token = issue_token("alice", "alicepw", "parent")
    api.delete(f"{V3}/groups/{world['group']}/users/{world['user']}", token=admin_token)
    assert api.get(f"{V3}/auth/catalog", token=token).status_code == 401


def test_members_cannot_grant_or_list_others(api, demo_token, world):
    url = f"{V3}/projects/{world['demo_project']}/users/{world['user']}/roles/{world['member_role']}"
    assert api.put(url, token=demo_token).status_code == 403
    assert api.get(f"{V3}/role_assignments", token=demo_token).status_code == 403
    own = assignments(api, demo_token, f"user.id={world['demo_user']}")
    assert [a["scope"]["project"]["id"] for a in own] == [world["demo_project"]]


def test_role_assignment_list_query_count(api, admin_token, world, make_user, django_assert_max_num_queries):
    for index in range(12):
        user_id = make_user(f"bulk-{index}")
        api.put(f"{V3}/projects/{world['parent']}/users/{user_id}/roles/{world['member_role']}", token=admin_token)
    api.put(f"{V3}/projects/{world['parent']}/groups/{world['group']}/roles/{world['member_role']}",
            token=admin_token)
    api.get(f"{V3}/role_assignments", token=admin_token)
    with django_assert_max_num_queries(10):
        named = assignments(api, admin_token, "include_names=True")
    assert len(named) >= 16 and all("name" in a["role"] for a in named)
    with django_assert_max_num_queries(12):
        effective = assignments(api, admin_token, "include_names=True&effective")
    assert len(effective) > len(named)
