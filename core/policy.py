"""The policy engine: OpenStack's rule language, default rules per service, overridable by YAML.

Rules read like oslo.policy's: ``role:admin or (role:reader and project_id:%(project_id)s)``.
Checks: ``rule:<name>``, ``role:<name>``, ``@`` (always), ``!`` (never), and generic
``<credential key>:<literal or %(target.key)s>``; operators ``and``, ``or``, ``not`` and parentheses.
Each service registers its defaults with ``register_defaults``; NEBULA_POLICY_FILE (YAML) overrides.
"""

import os
import re
import threading

import yaml
from django.conf import settings

from core.exceptions import Forbidden

BASE_RULES = {
    "admin_required": "role:admin",
    "project_reader": "role:reader and project_id:%(project_id)s",
    "project_member": "role:member and project_id:%(project_id)s",
    "admin_or_reader": "rule:admin_required or rule:project_reader",
    "admin_or_member": "rule:admin_required or rule:project_member",
    "owner": "user_id:%(user_id)s",
    "admin_or_owner": "rule:admin_required or rule:owner",
}

_defaults = dict(BASE_RULES)
_compiled = {}
_lock = threading.Lock()
_TARGET_REF = re.compile(r"^%\((?P<key>[^)]+)\)s$")


class PolicySyntaxError(ValueError):
    pass


def register_defaults(new_rules):
    with _lock:
        _defaults.update(new_rules)
        _compiled.clear()
        _merged["key"] = None


_merged = {"key": None, "rules": None}


def _overrides():
    with open(settings.POLICY_FILE) as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise PolicySyntaxError(f"{settings.POLICY_FILE} must map rule names to rule strings")
    return {str(k): str(v) for k, v in data.items()}


def rules():
    """Defaults merged with the policy file, re-read when the file changes."""
    path = settings.POLICY_FILE
    mtime = os.stat(path).st_mtime_ns if path and os.path.exists(path) else None
    key = (path, mtime, len(_defaults))
    if _merged["key"] != key:
        merged = dict(_defaults)
        if mtime is not None:
            merged.update(_overrides())
        _merged["rules"], _merged["key"] = merged, key
    return _merged["rules"]


def reload():
    with _lock:
        _compiled.clear()
        _merged["key"] = None


_SUBSTITUTION = re.compile(r"%\([^)]*\)s")


def _tokenize(text):
    """Words and parentheses; the parentheses of %(target)s references stay inside their word."""
    refs = []

    def hide(match):
        refs.append(match.group(0))
        return f"\x00{len(refs) - 1}\x00"

    hidden = _SUBSTITUTION.sub(hide, text)
    words = hidden.replace("(", " ( ").replace(")", " ) ").split()
    return [re.sub(r"\x00(\d+)\x00", lambda m: refs[int(m.group(1))], word) for word in words]


class _Parser:
    def __init__(self, text):
        self.tokens = _tokenize(text)
        self.pos = 0

    def parse(self):
        if not self.tokens:
            return ("true",)
        node = self._or()
        if self.pos != len(self.tokens):
            raise PolicySyntaxError(f"unexpected {self.tokens[self.pos]!r}")
        return node

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self):
        token = self._peek()
        if token is None:
            raise PolicySyntaxError("unexpected end of rule")
        self.pos += 1
        return token

    def _or(self):
        parts = [self._and()]
        while self._peek() == "or":
            self._take()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else ("or", parts)

    def _and(self):
        parts = [self._not()]
        while self._peek() == "and":
            self._take()
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else ("and", parts)

    def _not(self):
        if self._peek() == "not":
            self._take()
            return ("not", self._not())
        return self._atom()

    def _atom(self):
        token = self._take()
        if token == "(":
            node = self._or()
            if self._take() != ")":
                raise PolicySyntaxError("missing )")
            return node
        if token == "@":
            return ("true",)
        if token == "!":
            return ("false",)
        if ":" not in token:
            raise PolicySyntaxError(f"bad check {token!r}")
        kind, match = token.split(":", 1)
        if kind == "rule":
            return ("rule", match)
        if kind == "role":
            return ("role", match)
        return ("generic", kind, match)


def compile_rule(text):
    return _Parser(text).parse()


def _lookup(target, dotted):
    if dotted in target:
        return target[dotted]
    value = target
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def _evaluate(node, creds, target, all_rules, depth=0):
    if depth > 50:
        raise PolicySyntaxError("rule recursion too deep")
    kind = node[0]
    if kind == "true":
        return True
    if kind == "false":
        return False
    if kind == "or":
        return any(_evaluate(n, creds, target, all_rules, depth + 1) for n in node[1])
    if kind == "and":
        return all(_evaluate(n, creds, target, all_rules, depth + 1) for n in node[1])
    if kind == "not":
        return not _evaluate(node[1], creds, target, all_rules, depth + 1)
    if kind == "rule":
        name = node[1]
        if name not in all_rules:
            return False
        return _evaluate(_compiled_rule(name, all_rules), creds, target, all_rules, depth + 1)
    if kind == "role":
        return node[1].lower() in {r.lower() for r in creds.get("roles", ())}
    if kind == "generic":
        _, key, match = node
        ref = _TARGET_REF.match(match)
        if ref:
            expected = _lookup(target, ref.group("key"))
            if expected is None:
                return False
        elif match.startswith("'") and match.endswith("'"):
            # 'literal':%(target)s form is not needed by our rules; keep literal comparison simple.
            expected = match[1:-1]
        else:
            expected = match
        actual = creds.get(key)
        if isinstance(actual, bool):
            return str(actual) == str(expected)
        return actual is not None and str(actual) == str(expected)
    raise PolicySyntaxError(f"unknown node {kind}")


def _compiled_rule(name, all_rules):
    text = all_rules[name]
    cached = _compiled.get((name, text))
    if cached is None:
        cached = compile_rule(text)
        _compiled[(name, text)] = cached
    return cached


def check(ctx, action, target=None):
    if ctx.is_internal:
        return True
    all_rules = rules()
    if action not in all_rules:
        # An action nobody registered is an admin-only action, never an open door.
        return "admin" in ctx.roles
    return _evaluate(_compiled_rule(action, all_rules), ctx.policy_credentials, target or {}, all_rules)


def enforce(ctx, action, target=None):
    if not check(ctx, action, target):
        raise Forbidden(f"Policy doesn't allow {action} to be performed.")
