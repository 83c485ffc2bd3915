"""An LDAP domain through the identity API: its configuration, logging in as a directory user, listing
the directory's users, read-only refusals and role grants on directory groups."""

import uuid

import pytest

from identity.models import Domain, DomainConfig, Project, Role, User

pytestmark = pytest.mark.django_db

TOKENS = "/identity/v3/auth/tokens"


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def config_url(domain_id, *parts):
    return "/".join([f"/identity/v3/domains/{domain_id}/config", *parts])


@pytest.fixture
def ldap_domain(api, admin_token, ldap_server):
    domain = Domain.objects.create(name=unique("Directory"))
    response = api.put(config_url(domain.id), ldap_server.domain_config(), token=admin_token)
    assert response.status_code == 201, response.content
    return domain


def login(api, name, password, domain, scope=None):
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": name, "domain": {"name": domain.name}, "password": password}}}}
    if scope is not None:
        auth["scope"] = scope
    return api.post(TOKENS, {"auth": auth})


# --- the configuration API -------------------------------------------------------------------

def test_put_config_then_get_it_without_the_bind_password(api, admin_token, ldap_server):
    domain = Domain.objects.create(name=unique("Directory"))
    body = ldap_server.domain_config()
    created = api.put(config_url(domain.id), body, token=admin_token)
    assert created.status_code == 201
    assert created.json()["config"]["identity"] == {"driver": "ldap"}
    assert "password" not in created.json()["config"]["ldap"]
    stored = DomainConfig.objects.get(domain=domain)
    assert stored.driver == "ldap" and stored.ldap["password"] == ldap_server.admin_password

    shown = api.get(config_url(domain.id), token=admin_token)
    assert shown.status_code == 200
    expected = {k: v for k, v in body["config"]["ldap"].items() if k != "password"}
    assert shown.json() == {"config": {"identity": {"driver": "ldap"}, "ldap": expected}}
    assert ldap_server.admin_password not in shown.content.decode()

    assert api.get(config_url(domain.id, "ldap"), token=admin_token).json() == {"config": {"ldap": expected}}
    assert api.get(config_url(domain.id, "ldap", "url"), token=admin_token).json() == \
        {"config": {"url": ldap_server.url}}
    assert api.get(config_url(domain.id, "ldap", "password"), token=admin_token).status_code == 404
    assert api.get(config_url(domain.id, "identity", "driver"), token=admin_token).json() == \
        {"config": {"driver": "ldap"}}

    replaced = api.put(config_url(domain.id), body, token=admin_token)
    assert replaced.status_code == 200


def test_patch_a_group_an_option_and_delete_them(api, admin_token, ldap_domain):
    url = config_url(ldap_domain.id)
    patched = api.patch(url + "/ldap", {"config": {"ldap": {"user_mail_attribute": "email"}}}, token=admin_token)
    assert patched.status_code == 200
    assert patched.json()["config"]["ldap"]["user_mail_attribute"] == "email"
    one = api.patch(url + "/ldap/user_mail_attribute", {"config": {"user_mail_attribute": "mail"}},
                    token=admin_token)
    assert one.status_code == 200 and one.json()["config"]["ldap"]["user_mail_attribute"] == "mail"
    # The bind password can be replaced though never read back.
    secret = api.patch(url + "/ldap/password", {"config": {"password": "rotated"}}, token=admin_token)
    assert secret.status_code == 200
    assert DomainConfig.objects.get(domain=ldap_domain).ldap["password"] == "rotated"
    mismatch = api.patch(url + "/ldap", {"config": {"identity": {"driver": "sql"}}}, token=admin_token)
    assert mismatch.status_code == 400

    assert api.delete(url + "/ldap/group_desc_attribute", token=admin_token).status_code == 204
    assert api.get(url + "/ldap/group_desc_attribute", token=admin_token).status_code == 404
    assert api.delete(url + "/ldap/group_desc_attribute", token=admin_token).status_code == 404
    assert api.delete(url, token=admin_token).status_code == 204
    assert api.get(url, token=admin_token).status_code == 404
    assert not DomainConfig.objects.filter(domain=ldap_domain).exists()


def test_default_config(api, admin_token):
    whole = api.get("/identity/v3/domains/config/default", token=admin_token)
    assert whole.status_code == 200
    config = whole.json()["config"]
    assert config["identity"] == {"driver": "sql"}
    assert config["ldap"]["user_objectclass"] == "inetOrgPerson" and "password" not in config["ldap"]
    assert api.get("/identity/v3/domains/config/ldap/default", token=admin_token).json() == \
        {"config": {"ldap": config["ldap"]}}
    assert api.get("/identity/v3/domains/config/ldap/group_member_attribute/default", token=admin_token).json() \
        == {"config": {"group_member_attribute": "member"}}
    assert api.get("/identity/v3/domains/config/nothing/default", token=admin_token).status_code == 400


@pytest.mark.parametrize("body", [
    {"config": {"ldap": {"url": "http://x"}, "identity": {"driver": "ldap"}}},
    {"config": {"identity": {"driver": "kerberos"}}},
    {"config": {"assignment": {"driver": "sql"}}},
    {"config": {"identity": {"driver": "ldap"}}},  # an ldap domain needs a url
    {"config": {"ldap": {"user_filter": "uid=*"}}},
    {"config": {"ldap": "ldap://x"}},
    {"config": {}},
    {"config": []},
    {"configuration": {}},
])
def test_bad_configs_are_400_and_store_nothing(api, admin_token, body):
    domain = Domain.objects.create(name=unique("Directory"))
    response = api.put(config_url(domain.id), body, token=admin_token)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == 400
    assert not DomainConfig.objects.filter(domain=domain).exists()


def test_malformed_json_is_400(api, admin_token):
    domain = Domain.objects.create(name=unique("Directory"))
    assert api.put(config_url(domain.id), raw="{nope", token=admin_token).status_code == 400


def test_the_default_domain_stays_sql(api, admin_token, ldap_server):
    response = api.put(config_url("default"), ldap_server.domain_config(), token=admin_token)
    assert response.status_code == 400


def test_unknown_domain_is_404(api, admin_token, ldap_server):
    assert api.put(config_url("no-such-domain"), ldap_server.domain_config(), token=admin_token).status_code == 404
    assert api.get(config_url("no-such-domain"), token=admin_token).status_code == 404


def test_only_admins_see_or_change_a_domain_config(api, demo_token, ldap_domain, ldap_server):
    assert api.get(config_url(ldap_domain.id), token=demo_token).status_code == 403
    assert api.put(config_url(ldap_domain.id), ldap_server.domain_config(url="ldap://evil.test"),
                   token=demo_token).status_code == 403
    assert api.delete(config_url(ldap_domain.id), token=demo_token).status_code == 403
    assert api.get("/identity/v3/domains/config/default", token=demo_token).status_code == 403
    assert api.get(config_url(ldap_domain.id)).status_code == 401
    assert DomainConfig.objects.get(domain=ldap_domain).ldap["url"] == ldap_server.url


# --- logging in as a directory user ------------------------------------------------------------

def test_directory_user_gets_a_token(api, ldap_domain):
    response = login(api, "alice", "alice-ldap-pw", ldap_domain)
    assert response.status_code == 201, response.content
    user = response.json()["token"]["user"]
    assert user["name"] == "alice" and user["domain"] == {"id": ldap_domain.id, "name": ldap_domain.name}
    assert response["X-Subject-Token"]
    # The token validates like any other.
    check = api.get(TOKENS, token=response["X-Subject-Token"], headers={"X-Subject-Token": response["X-Subject-Token"]})
    assert check.status_code == 200


@pytest.mark.parametrize("name,password", [
    ("alice", "wrong"),
    ("alice", ""),
    ("*", "alice-ldap-pw"),
    ("alice)(uid=*", "alice-ldap-pw"),
    ("*)(|(uid=*", "alice-ldap-pw"),
    ("nobody", "alice-ldap-pw"),
])
def test_bad_credentials_are_401(api, ldap_domain, name, password):
    response = login(api, name, password, ldap_domain)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


def test_unreachable_directory_answers_503_with_a_message(api, admin_token, ldap_domain, settings):
    from core.testing.processes import free_port

    settings.LDAP_TIMEOUT = 2
    api.patch(config_url(ldap_domain.id, "ldap", "url"), {"config": {"url": f"ldap://127.0.0.1:{free_port()}"}},
              token=admin_token)
    response = login(api, "alice", "alice-ldap-pw", ldap_domain)
    assert response.status_code == 503
    assert "LDAP" in response.json()["error"]["message"]


def test_listing_the_domain_users_shows_the_directory(api, admin_token, ldap_domain, ldap_server,
                                                      django_assert_max_num_queries):
    response = api.get(f"/identity/v3/users?domain_id={ldap_domain.id}", token=admin_token)
    assert response.status_code == 200, response.content
    names = {u["name"] for u in response.json()["users"]}
    assert names == set(ldap_server.passwords)
    assert all(u["domain_id"] == ldap_domain.id for u in response.json()["users"])


def test_listing_a_directory_costs_the_same_queries_for_more_users(api, admin_token, ldap_domain, ldap_server,
                                                                    django_assert_max_num_queries):
    url = f"/identity/v3/users?domain_id={ldap_domain.id}"
    api.get(url, token=admin_token)
    with django_assert_max_num_queries(20) as few:
        api.get(url, token=admin_token)
    baseline = len(few)  # read now: the next request resets Django's query log
    extra = [unique("erin") for _ in range(4)]
    for uid in extra:
        ldap_server.add_user(uid, "pw")
    try:
        assert len(api.get(url, token=admin_token).json()["users"]) == len(ldap_server.passwords)
        with django_assert_max_num_queries(baseline):
            api.get(url, token=admin_token)
    finally:
        for uid in extra:
            ldap_server.delete_user(uid)


def test_directory_domain_is_read_only(api, admin_token, ldap_domain):
    created = api.post("/identity/v3/users", {"user": {"name": unique("u"), "domain_id": ldap_domain.id,
                                                       "password": "pw"}}, token=admin_token)
    assert created.status_code == 403, created.content
    login_response = login(api, "alice", "alice-ldap-pw", ldap_domain)
    alice_id = login_response.json()["token"]["user"]["id"]
    alice_token = login_response["X-Subject-Token"]
    changed = api.post(f"/identity/v3/users/{alice_id}/password",
                       {"user": {"original_password": "alice-ldap-pw", "password": "new-pw"}}, token=alice_token)
    assert changed.status_code == 403, changed.content
    assert login(api, "alice", "alice-ldap-pw", ldap_domain).status_code == 201
    assert User.objects.get(id=alice_id).password == ""


def test_a_role_on_a_directory_group_lets_its_member_scope_to_a_project(api, admin_token, ldap_domain):
    project = Project.objects.create(name=unique("proj"), domain=ldap_domain)
    member = Role.objects.get(name="member")
    scope = {"project": {"id": project.id}}
    assert login(api, "alice", "alice-ldap-pw", ldap_domain, scope).status_code == 401

    groups = api.get(f"/identity/v3/groups?domain_id={ldap_domain.id}", token=admin_token)
    assert groups.status_code == 200, groups.content
    admins = next(g for g in groups.json()["groups"] if g["name"] == "admins")
    granted = api.put(f"/identity/v3/projects/{project.id}/groups/{admins['id']}/roles/{member.id}",
                      token=admin_token)
    assert granted.status_code == 204, granted.content

    scoped = login(api, "alice", "alice-ldap-pw", ldap_domain, scope)
    assert scoped.status_code == 201, scoped.content
    assert scoped.json()["token"]["project"]["id"] == project.id
    assert "member" in {r["name"] for r in scoped.json()["token"]["roles"]}
    # bob is not in the group.
    assert login(api, "bob", "bob-ldap-pw", ldap_domain, scope).status_code == 401


def test_a_user_removed_from_the_directory_can_no_longer_log_in(api, admin_token, ldap_domain, ldap_server):
    uid = unique("dave")
    ldap_server.add_user(uid, "dave-pw")
    first = login(api, uid, "dave-pw", ldap_domain)
    assert first.status_code == 201
    ldap_server.delete_user(uid)
    assert login(api, uid, "dave-pw", ldap_domain).status_code == 401
    # The next listing drops the shadow row, and with it every token the user held.
    listed = api.get(f"/identity/v3/users?domain_id={ldap_domain.id}", token=admin_token)
    assert uid not in {u["name"] for u in listed.json()["users"]}
    token = first["X-Subject-Token"]
    assert api.get(TOKENS, token=admin_token, headers={"X-Subject-Token": token}).status_code == 404
