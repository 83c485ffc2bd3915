"""The periodic mirror of LDAP domains (identity.tasks.sync_ldap_domains, every 300 s in beat)."""

import uuid

import ldap
import pytest

from core.testing.processes import free_port
from identity.models import Domain, DomainConfig, User
from identity.services import tokens
from identity.tasks import sync_ldap_domains

pytestmark = pytest.mark.django_db


def directory_domain(server, **overrides):
    domain = Domain.objects.create(name=f"Directory{uuid.uuid4().hex[:6]}")
    DomainConfig.objects.create(domain=domain, driver="ldap", ldap=server.domain_config(**overrides)["config"]["ldap"])
    return domain


def unscoped_token(name, password, domain):
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": name, "domain": {"id": domain.id}, "password": password}}}}
    return tokens.authenticate(auth)[0]


def test_the_task_ends_the_tokens_of_users_the_directory_dropped_or_disabled(bootstrapped, ldap_server, settings):
    settings.LDAP_TIMEOUT = 2
    domain = directory_domain(ldap_server, user_enabled_attribute="employeeType", user_enabled_default="true")
    dropped, disabled = f"gone{uuid.uuid4().hex[:6]}", f"off{uuid.uuid4().hex[:6]}"
    ldap_server.add_user(dropped, "pw1")
    ldap_server.add_user(disabled, "pw2")
    broken = directory_domain(ldap_server, url=f"ldap://127.0.0.1:{free_port()}")
    try:
        gone_token = unscoped_token(dropped, "pw1", domain)
        off_token = unscoped_token(disabled, "pw2", domain)
        alice_token = unscoped_token("alice", "alice-ldap-pw", domain)
        ldap_server.delete_user(dropped)
        conn = ldap_server.admin()
        conn.modify_s(ldap_server.user_dn(disabled), [(ldap.MOD_ADD, "employeeType", [b"false"])])
        conn.unbind_s()

        outcome = sync_ldap_domains.apply().get()

        assert outcome[domain.id] == "ok"
        assert "LDAP" in outcome[broken.id]  # reported, and the other domain still synced
        assert tokens.validate(gone_token) is None and not User.objects.filter(domain=domain, name=dropped).exists()
        assert tokens.validate(off_token) is None and User.objects.get(domain=domain, name=disabled).enabled is False
        assert tokens.validate(alice_token) is not None
        assert {"admins"} <= set(domain.groups.values_list("name", flat=True))
    finally:
        ldap_server.delete_user(disabled)
