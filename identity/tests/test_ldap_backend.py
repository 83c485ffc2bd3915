"""The LDAP identity backend against a real slapd (the session's `ldap_server`)."""

import uuid

import ldap
import pytest

from core.models import Generation
from core.testing.processes import free_port
from identity.backends.ldap import (DirectoryUnavailable, InvalidLdapOption, LdapBackend, normalise_dn,
                                    shadow_id, validate_options)
from identity.models import Domain, Group, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:8]}"


@pytest.fixture
def domain():
    return Domain.objects.create(name=unique("ldapdom"))


@pytest.fixture
def backend(ldap_server):
    return LdapBackend(ldap_server.domain_config()["config"]["ldap"])


@pytest.fixture
def carol(ldap_server):
    """A user of this test only, so tests that change the directory do not disturb the others."""
    uid = unique("carol")
    ldap_server.add_user(uid, "carol-pw")
    yield uid
    if uid in ldap_server.passwords:
        ldap_server.delete_user(uid)


def generation():
    return Generation.objects.filter(name="identity").values_list("value", flat=True).first() or 0


def test_right_password_creates_the_shadow_user_and_its_groups(backend, domain, ldap_server):
    user = backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    assert user is not None
    user.refresh_from_db()
    assert (user.name, user.domain_id, user.email) == ("alice", domain.id, "alice@nebula.test")
    assert user.ldap_dn == ldap_server.user_dn("alice")
    assert user.password == ""
    assert user.id == shadow_id(domain.id, "user", "alice")
    admins = Group.objects.get(domain=domain, name="admins")
    assert admins.ldap_dn == ldap_server.group_dn("admins")
    assert list(admins.members.all()) == [user]


def test_second_login_keeps_the_same_row_and_leaves_the_caches_alone(backend, domain):
    first = backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    before = generation()
    second = backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    assert second.id == first.id
    assert User.objects.filter(domain=domain).count() == 1
    assert generation() == before


def test_login_name_is_matched_like_the_directory_does_but_stored_as_the_directory_spells_it(backend, domain):
    user = backend.authenticate(domain, "ALICE", None, "alice-ldap-pw")
    assert user is not None and user.name == "alice"


@pytest.mark.parametrize("password", ["wrong", "alice-ldap-pw ", "ALICE-LDAP-PW"])
def test_wrong_password_is_refused(backend, domain, password):
    assert backend.authenticate(domain, "alice", None, password) is None
    assert not User.objects.filter(domain=domain).exists()


@pytest.mark.parametrize("password", ["", None])
def test_empty_password_is_refused_before_any_bind(backend, domain, password):
    assert backend.authenticate(domain, "alice", None, password) is None


def test_directory_would_treat_an_empty_password_as_unauthenticated_not_as_alice(ldap_server):
    # Why the backend refuses empty passwords itself: a bind with a DN and no password is not a
    # check of anything (RFC 4513 5.1.2); this server refuses it, others answer "success".
    conn = ldap_server.connect()
    try:
        with pytest.raises((ldap.UNWILLING_TO_PERFORM, ldap.INVALID_CREDENTIALS)):
            conn.simple_bind_s(ldap_server.user_dn("alice"), "")
    finally:
        conn.unbind_s()


@pytest.mark.parametrize("name", ["*", "alice)(uid=*", "al*", "*)(|(uid=*", "alice\\", "(uid=alice)", ""])
def test_filter_injection_in_the_name_finds_nobody(backend, domain, name):
    assert backend.authenticate(domain, name, None, "alice-ldap-pw") is None
    assert not User.objects.filter(domain=domain).exists()


def test_filter_values_are_escaped(backend):
    text = backend._user_filter("a*)(uid=*")
    assert text == "(&(objectClass=inetOrgPerson)(uid=a\\2a\\29\\28uid=\\2a))"


def test_unknown_user_is_refused(backend, domain):
    assert backend.authenticate(domain, "nobody", None, "whatever") is None


def test_user_given_by_id_is_checked_against_the_directory(backend, domain):
    alice = backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    assert backend.authenticate(domain, None, alice, "alice-ldap-pw").id == alice.id
    assert backend.authenticate(domain, None, alice, "wrong") is None
    local = User.objects.create(domain=domain, name="local-only", password="x")
    assert backend.authenticate(domain, None, local, "x") is None


def test_group_membership_follows_the_directory_at_login(backend, domain, ldap_server, carol):
    group = unique("team")
    ldap_server.add_group(group, [carol])
    user = backend.authenticate(domain, carol, None, "carol-pw")
    assert set(user.groups.values_list("name", flat=True)) == {group}
    ldap_server.add_member("admins", carol)
    before = generation()
    backend.authenticate(domain, carol, None, "carol-pw")
    assert set(user.groups.values_list("name", flat=True)) == {group, "admins"}
    assert generation() > before  # roles may have changed: every process drops its caches
    ldap_server.delete(ldap_server.group_dn(group))
    backend.authenticate(domain, carol, None, "carol-pw")
    assert set(user.groups.values_list("name", flat=True)) == {"admins"}


def test_local_groups_are_left_alone_by_the_membership_sync(backend, domain):
    alice = backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    local = Group.objects.create(domain=domain, name="local-group")
    local.members.add(alice)
    backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    assert set(alice.groups.values_list("name", flat=True)) == {"admins", "local-group"}


def test_sync_users_mirrors_the_directory(backend, domain, ldap_server, carol):
    backend.sync_users(domain)
    names = set(User.objects.filter(domain=domain).values_list("name", flat=True))
    assert {"alice", "bob", carol} <= names
    assert names == set(ldap_server.passwords)
    assert all(User.objects.filter(domain=domain).values_list("ldap_dn", flat=True))


def test_sync_of_an_unchanged_directory_writes_nothing(backend, domain, django_assert_max_num_queries):
    backend.sync_users(domain)
    before = generation()
    with django_assert_max_num_queries(3):  # one SELECT inside its savepoint and release
        backend.sync_users(domain)
    assert generation() == before


def test_a_user_removed_from_the_directory_loses_its_shadow_row_and_grants(backend, domain, ldap_server, carol):
    user = backend.authenticate(domain, carol, None, "carol-pw")
    role = Role.objects.create(name=unique("role"))
    project = domain.projects.create(name=unique("p"))
    RoleAssignment.objects.create(role=role, user=user, project=project)
    ldap_server.delete_user(carol)
    assert backend.authenticate(domain, carol, None, "carol-pw") is None
    backend.sync_users(domain)
    assert not User.objects.filter(id=user.id).exists()
    assert not RoleAssignment.objects.filter(role=role).exists()


def test_sync_groups_mirrors_groups_and_members(backend, domain, ldap_server, carol):
    group = unique("ops")
    ldap_server.add_group(group, [carol, "bob"], description="operators")
    backend.sync_groups(domain)
    row = Group.objects.get(domain=domain, name=group)
    assert row.description == "operators"
    assert set(row.members.values_list("name", flat=True)) == {carol, "bob"}
    assert set(Group.objects.get(domain=domain, name="admins").members.values_list("name", flat=True)) == {"alice"}
    ldap_server.delete(ldap_server.group_dn(group))
    backend.sync_groups(domain)
    assert not Group.objects.filter(domain=domain, name=group).exists()


def test_member_dns_compare_case_insensitively():
    assert normalise_dn("UID=Alice, OU=users,dc=nebula,dc=test") == normalise_dn("uid=alice,ou=users,dc=nebula,dc=test")


def test_enabled_attribute_can_disable_a_directory_user(ldap_server, domain, carol):
    # inetOrgPerson has no enabled flag; employeeType stands in for one, as sites often do.
    conn = ldap_server.admin()
    conn.modify_s(ldap_server.user_dn(carol), [(ldap.MOD_ADD, "employeeType", [b"false"])])
    conn.unbind_s()
    backend = LdapBackend(ldap_server.domain_config(user_enabled_attribute="employeeType")["config"]["ldap"])
    user = backend.authenticate(domain, carol, None, "carol-pw")
    assert user is not None and user.enabled is False  # the token service refuses disabled users
    inverted = LdapBackend(ldap_server.domain_config(user_enabled_attribute="employeeType",
                                                     user_enabled_invert=True)["config"]["ldap"])
    assert inverted.authenticate(domain, carol, None, "carol-pw").enabled is True


def test_unreachable_directory_is_a_clean_503(domain, ldap_server, settings):
    settings.LDAP_TIMEOUT = 2
    backend = LdapBackend(ldap_server.domain_config(url=f"ldap://127.0.0.1:{free_port()}")["config"]["ldap"])
    with pytest.raises(DirectoryUnavailable) as caught:
        backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    assert caught.value.status == 503
    assert "LDAP" in caught.value.message
    with pytest.raises(DirectoryUnavailable):
        backend.sync_users(domain)


def test_a_refused_service_bind_is_a_503_not_a_wrong_password(domain, ldap_server):
    backend = LdapBackend(ldap_server.domain_config(password="not-the-admin-pw")["config"]["ldap"])
    with pytest.raises(DirectoryUnavailable) as caught:
        backend.authenticate(domain, "alice", None, "alice-ldap-pw")
    assert "bind" in caught.value.message


def test_a_missing_search_base_is_a_503_and_deletes_nothing(domain, ldap_server, backend):
    backend.sync_users(domain)
    count = User.objects.filter(domain=domain).count()
    broken = LdapBackend(ldap_server.domain_config(user_tree_dn="ou=nowhere,dc=nebula,dc=test")["config"]["ldap"])
    with pytest.raises(DirectoryUnavailable):
        broken.sync_users(domain)
    assert User.objects.filter(domain=domain).count() == count


def test_anonymous_search_bind_works_when_no_service_user_is_set(domain, ldap_server):
    backend = LdapBackend(ldap_server.domain_config(user="", password="")["config"]["ldap"])
    assert backend.authenticate(domain, "bob", None, "bob-ldap-pw").name == "bob"


@pytest.mark.parametrize("options", [
    {"url": "http://example.test"},
    {"user_name_attribute": "uid)(objectClass=*"},
    {"user_objectclass": ""},
    {"user_filter": "uid=alice"},
    {"use_tls": "maybe"},
    {"suffix": "not a dn"},
    {"query_scope": "base"},
    {"no_such_option": "x"},
    {"url": 5},
])
def test_bad_options_are_refused(options):
    with pytest.raises(InvalidLdapOption):
        validate_options(options)


def test_options_are_normalised():
    assert validate_options({"use_tls": "false", "user_enabled_mask": "2", "user": None}) == \
        {"use_tls": False, "user_enabled_mask": 2, "user": ""}


def test_posix_groups_whose_members_are_user_ids(ldap_server, domain, carol):
    cn = unique("posix")
    conn = ldap_server.admin()
    conn.add_s(ldap_server.group_dn(cn), [("objectClass", [b"posixGroup"]), ("cn", [cn.encode()]),
                                          ("gidNumber", [b"5000"]), ("memberUid", [carol.encode()])])
    conn.unbind_s()
    try:
        backend = LdapBackend(ldap_server.domain_config(group_objectclass="posixGroup",
                                                        group_member_attribute="memberUid",
                                                        group_members_are_ids=True)["config"]["ldap"])
        user = backend.authenticate(domain, carol, None, "carol-pw")
        assert list(user.groups.values_list("name", flat=True)) == [cn]
        backend.sync_groups(domain)
        assert set(Group.objects.filter(domain=domain).values_list("name", flat=True)) == {cn}
        assert list(Group.objects.get(domain=domain, name=cn).members.values_list("name", flat=True)) == [carol]
    finally:
        ldap_server.delete(ldap_server.group_dn(cn))


def test_paged_searches_get_past_the_directory_size_limit(ldap_server, domain):
    # The test directory lets anonymous searches see 3 entries per page/search; it holds more users.
    extra = [unique("page") for _ in range(3)]
    for uid in extra:
        ldap_server.add_user(uid, "pw")
    try:
        unpaged = LdapBackend(ldap_server.domain_config(user="", password="", page_size=0)["config"]["ldap"])
        with pytest.raises(DirectoryUnavailable):
            unpaged.sync_users(domain)
        paged = LdapBackend(ldap_server.domain_config(user="", password="", page_size=2)["config"]["ldap"])
        paged.sync_users(domain)
        assert set(User.objects.filter(domain=domain).values_list("name", flat=True)) == set(ldap_server.passwords)
    finally:
        for uid in extra:
            ldap_server.delete_user(uid)


def test_a_directory_that_never_answers_is_given_up_on(domain, ldap_server, settings):
    import socket

    settings.LDAP_TIMEOUT = 0.5
    with socket.socket() as silent:  # accepts connections (backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        backend = LdapBackend(ldap_server.domain_config(url=url)["config"]["ldap"])
        with pytest.raises(DirectoryUnavailable):
            backend.authenticate(domain, "alice", None, "alice-ldap-pw")


@pytest.fixture(scope="module")
def tls_server():
    from core.testing.ldap import start_or_skip

    server = start_or_skip(tls=True)
    yield server
    server.stop()


def test_starttls_with_the_directory_ca(tls_server, domain):
    backend = LdapBackend(tls_server.domain_config(use_tls=True, tls_cacertfile=tls_server.ca_file)["config"]["ldap"])
    assert backend.authenticate(domain, "alice", None, "alice-ldap-pw").name == "alice"
    assert backend.authenticate(domain, "alice", None, "wrong") is None


def test_ldaps_with_the_directory_ca(tls_server, domain):
    backend = LdapBackend(tls_server.domain_config(url=tls_server.ldaps_url,
                                                   tls_cacertfile=tls_server.ca_file)["config"]["ldap"])
    assert backend.authenticate(domain, "bob", None, "bob-ldap-pw").name == "bob"


def test_a_certificate_from_an_unknown_ca_is_refused(tls_server, domain, tmp_path):
    from core.testing.ldap import write_test_certificates

    other_ca, _cert, _key = write_test_certificates(tmp_path)
    for overrides in ({"use_tls": True}, {"url": tls_server.ldaps_url}):
        backend = LdapBackend(tls_server.domain_config(tls_cacertfile=str(other_ca), **overrides)["config"]["ldap"])
        with pytest.raises(DirectoryUnavailable):
            backend.authenticate(domain, "alice", None, "alice-ldap-pw")
