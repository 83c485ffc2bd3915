"""The policy engine: rule language, defaults, YAML overrides."""

import os

import pytest

from core import policy
from core.context import RequestContext
from core.exceptions import Forbidden


def ctx(roles=(), **kw):
    return RequestContext(roles=tuple(roles), **kw)


@pytest.fixture
def rules_file(tmp_path, settings):
    path = tmp_path / "policy.yaml"
    settings.POLICY_FILE = str(path)
    policy.reload()
    yield path
    settings.POLICY_FILE = ""
    policy.reload()


@pytest.mark.parametrize("text,roles,creds,target,expected", [
    ("", (), {}, {}, True),
    ("@", (), {}, {}, True),
    ("!", ("admin",), {}, {}, False),
    ("role:admin", ("admin",), {}, {}, True),
    ("role:admin", ("member",), {}, {}, False),
    ("role:ADMIN", ("admin",), {}, {}, True),
    ("role:member and project_id:%(project_id)s", ("member",), {"project_id": "p1"}, {"project_id": "p1"}, True),
    ("role:member and project_id:%(project_id)s", ("member",), {"project_id": "p1"}, {"project_id": "p2"}, False),
    ("role:member and project_id:%(project_id)s", ("member",), {"project_id": "p1"}, {}, False),
    ("role:admin or (role:reader and project_id:%(target.project.id)s)", ("reader",), {"project_id": "p"},
     {"target": {"project": {"id": "p"}}}, True),
    ("not role:admin", ("member",), {}, {}, True),
    ("not role:admin", ("admin",), {}, {}, False),
    ("role:a or role:b and role:c", ("a",), {}, {}, True),   # and binds tighter than or
    ("(role:a or role:b) and role:c", ("a",), {}, {}, False),
    ("user_id:%(target.user.id)s", (), {"user_id": "u"}, {"target.user.id": "u"}, True),  # flattened target keys
    ("project_id:fixed", (), {"project_id": "fixed"}, {}, True),
])
def test_rule_language(text, roles, creds, target, expected):
    context = ctx(roles, **creds)
    policy.register_defaults({"test:rule": text})
    assert policy.check(context, "test:rule", target) is expected


@pytest.mark.parametrize("text", ["role:a and", "(role:a", "role:a )", "justaword", "role:a or or role:b"])
def test_syntax_errors(text):
    with pytest.raises(policy.PolicySyntaxError):
        policy.compile_rule(text)


def test_rule_references_and_unknown_rules():
    policy.register_defaults({"test:ref": "rule:admin_required or rule:test:missing"})
    assert policy.check(ctx(("admin",)), "test:ref")
    assert not policy.check(ctx(("member",)), "test:ref")


def test_unregistered_actions_are_admin_only():
    assert policy.check(ctx(("admin",)), "nobody:registered:this")
    assert not policy.check(ctx(("member",), project_id="p"), "nobody:registered:this")


def test_internal_context_passes_everything():
    policy.register_defaults({"test:never": "!"})
    assert policy.check(RequestContext.internal(), "test:never")


def test_enforce_raises_forbidden():
    policy.register_defaults({"test:admin": "role:admin"})
    with pytest.raises(Forbidden):
        policy.enforce(ctx(("reader",)), "test:admin")
    policy.enforce(ctx(("admin",)), "test:admin")


def test_yaml_file_overrides_defaults_and_is_reread(rules_file):
    policy.register_defaults({"test:open": "role:admin"})
    member = ctx(("member",))
    assert not policy.check(member, "test:open")
    rules_file.write_text('"test:open": "role:member"\n')
    assert policy.check(member, "test:open")
    rules_file.write_text('"test:open": "!"\n')
    stat = os.stat(rules_file)
    os.utime(rules_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not policy.check(member, "test:open")


def test_yaml_must_be_a_mapping(rules_file):
    rules_file.write_text("- a\n- b\n")
    with pytest.raises(policy.PolicySyntaxError):
        policy.check(ctx(("admin",)), "test:anything")


@pytest.mark.django_db
def test_policy_file_override_reaches_the_identity_api(api, demo_token, rules_file):
    assert api.get("/identity/v3/users", token=demo_token).status_code == 403
    rules_file.write_text('"identity:list_users": "role:member"\n')
    assert api.get("/identity/v3/users", token=demo_token).status_code == 200


def test_environment_variable_names_the_file():
    # settings.POLICY_FILE comes from NEBULA_POLICY_FILE (cloud/settings.py); read it back the same way.
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='cloud.settings_test'; django.setup(); "
            "from django.conf import settings; print(settings.POLICY_FILE)")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "NEBULA_POLICY_FILE": "/tmp/p.yaml"},
                         capture_output=True, text=True, check=True, cwd=os.path.dirname(os.path.dirname(
                             os.path.dirname(os.path.abspath(__file__)))))
    assert out.stdout.strip().endswith("/tmp/p.yaml")
