"""Tokens: issue (password, token, application credential), validate, revoke.

A token is a Fernet message (identity.fernet) holding who, which scope, when and the audit chain.
Validation needs no database read on the hot path: roles, names and revocations are cached in the
process until the identity generation changes (see identity.services.cache).
"""

import dataclasses
import datetime as dt
import time
import uuid
from dataclasses import dataclass
from functools import cached_property

import msgpack
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.utils import timezone

from core import policy
from core.context import RequestContext, new_request_id
from core.exceptions import BadRequest, NotFound, Unauthorized
from identity import backends
from identity.fernet import repository
from identity.models import ApplicationCredential, Domain, Project, User
from identity.services import assignments_query, revocation
from identity.services.cache import identity_cache
from identity.services.catalog_view import catalog_for

PAYLOAD_VERSION = 1
METHODS = ("password", "token", "application_credential")
AUTH_FAILED = "The request you have made requires authentication."


def isotime(value, micro=True):
    """Keystone's timestamps: 2026-01-01T00:00:00.000000Z (Tempest parses only this shape)."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        value = dt.datetime.fromtimestamp(value, tz=dt.timezone.utc)
    value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if micro else "%Y-%m-%dT%H:%M:%SZ")


def new_audit_id():
    return uuid.uuid4().bytes[:16].hex()[:22]


@dataclass(frozen=True)
class TokenData:
    user_id: str
    methods: tuple
    issued_at: float
    expires_at: float
    audit_ids: tuple
    project_id: str | None = None
    domain_id: str | None = None
    system: str | None = None
    application_credential_id: str | None = None

    def pack(self):
        return msgpack.packb([
            PAYLOAD_VERSION, self.user_id, list(self.methods), self.issued_at, self.expires_at,
            list(self.audit_ids), self.project_id, self.domain_id, self.system, self.application_credential_id,
        ])

    @classmethod
    def unpack(cls, raw):
        fields = msgpack.unpackb(raw)
        if not isinstance(fields, list) or len(fields) != 10 or fields[0] != PAYLOAD_VERSION:
            raise ValueError("unknown token payload")
        _, user_id, methods, issued_at, expires_at, audit_ids, project_id, domain_id, system, app_cred = fields
        return cls(user_id, tuple(methods), issued_at, expires_at, tuple(audit_ids), project_id, domain_id,
                   system, app_cred)


@dataclass(frozen=True)
class AuthInfo:
    """What a valid token means right now: names and effective roles of its user in its scope."""

    user: dict
    roles: tuple  # ((id, name), ...)
    project: dict | None = None
    domain: dict | None = None
    application_credential: dict | None = None

    @cached_property
    def role_names(self):
        # Computed once per cached AuthInfo, not once per validation (works on a frozen dataclass:
        # cached_property writes the instance __dict__ directly).
        return tuple(name for _id, name in self.roles)


# --- issuing ---------------------------------------------------------------------------------

def _find_domain(ref):
    if not isinstance(ref, dict):
        raise BadRequest("domain must be an object with an id or a name")
    try:
        if ref.get("id"):
            return Domain.objects.get(id=ref["id"])
        if ref.get("name"):
            return Domain.objects.get(name=ref["name"])
    except Domain.DoesNotExist:
        raise Unauthorized(AUTH_FAILED) from None
    raise BadRequest("domain must have an id or a name")


def _password_user(data):
    user_ref = data.get("user") if isinstance(data, dict) else None
    if not isinstance(user_ref, dict):
        raise BadRequest("password authentication needs a user object")
    password = user_ref.get("password")
    if not isinstance(password, str):
        raise BadRequest("password authentication needs a password string")
    if user_ref.get("id"):
        user = User.objects.select_related("domain").filter(id=user_ref["id"]).first()
        if user is None:
            raise Unauthorized(AUTH_FAILED)
        domain = user.domain
    else:
        if not user_ref.get("name") or "domain" not in user_ref:
            raise BadRequest("a user given by name needs a domain")
        domain = _find_domain(user_ref["domain"])
        user = None
    if not domain.enabled:
        raise Unauthorized(AUTH_FAILED)
    backend = backends.for_domain(domain)
    user = backend.authenticate(domain, user_ref.get("name"), user, password)
    if user is None or not user.enabled:
        raise Unauthorized(AUTH_FAILED)
    if user.password_expires_at and user.password_expires_at <= timezone.now():
        raise Unauthorized("The password is expired and needs to be changed for user: %s." % user.id)
    return user


def _application_credential(data):
    if not isinstance(data, dict) or not isinstance(data.get("secret"), str):
        raise BadRequest("application_credential authentication needs a secret")
    query = ApplicationCredential.objects.select_related("user", "user__domain", "project")
    if data.get("id"):
        credential = query.filter(id=data["id"]).first()
    elif data.get("name") and isinstance(data.get("user"), dict):
        user_ref = data["user"]
        if user_ref.get("id"):
            credential = query.filter(name=data["name"], user_id=user_ref["id"]).first()
        else:
            domain = _find_domain(user_ref.get("domain") or {})
            credential = query.filter(name=data["name"], user__name=user_ref.get("name"),
                                      user__domain=domain).first()
    else:
        raise BadRequest("application_credential needs an id, or a name and its user")
    if credential is None or not check_password(data["secret"], credential.secret_hash):
        raise Unauthorized(AUTH_FAILED)
    if credential.expires_at and credential.expires_at <= timezone.now():
        raise Unauthorized(AUTH_FAILED)
    if not credential.user.enabled or not credential.user.domain.enabled:
        raise Unauthorized(AUTH_FAILED)
    return credential


def _scope_from_request(scope):
    """('project', id) / ('domain', id) / ('system', 'all') / (None, None) for an auth scope."""
    if scope in (None, "unscoped"):
        return None, None
    if not isinstance(scope, dict):
        raise BadRequest("scope must be an object or 'unscoped'")
    if "project" in scope:
        ref = scope["project"]
        if not isinstance(ref, dict):
            raise BadRequest("scope.project must be an object")
        if ref.get("id"):
            project = Project.objects.select_related("domain").filter(id=ref["id"]).first()
        elif ref.get("name") and "domain" in ref:
            domain = _find_domain(ref["domain"])
            project = Project.objects.select_related("domain").filter(name=ref["name"], domain=domain).first()
        else:
            raise BadRequest("scope.project needs an id, or a name and a domain")
        if project is None or not project.enabled or not project.domain.enabled:
            raise Unauthorized(AUTH_FAILED)
        return "project", project.id
    if "domain" in scope:
        domain = _find_domain(scope["domain"])
        if not domain.enabled:
            raise Unauthorized(AUTH_FAILED)
        return "domain", domain.id
    if "system" in scope:
        if scope["system"] != {"all": True}:
            raise BadRequest("only the system scope {'all': true} exists")
        return "system", "all"
    if "OS-TRUST:trust" in scope:
        raise Unauthorized("Trusts are not supported.")
    raise BadRequest("unknown scope")


def authenticate(auth, request_id=None):
    """Check the credentials in a v3 auth request and issue a token. Returns (token_id, TokenData, AuthInfo)."""
    if not isinstance(auth, dict) or not isinstance(auth.get("identity"), dict):
        raise BadRequest("Expecting to find identity in auth.")
    identity = auth["identity"]
    methods = identity.get("methods")
    if not isinstance(methods, list) or not methods or not all(isinstance(m, str) for m in methods):
        raise BadRequest("identity.methods must be a non-empty list of strings")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise Unauthorized(f"Attempted to authenticate with an unsupported method: {unknown[0]}")
    scope_kind, scope_id = _scope_from_request(auth.get("scope"))
    now = time.time()
    expires_at = now + settings.TOKEN_EXPIRATION
    audit_ids = (new_audit_id(),)
    app_cred_id = None

    if "application_credential" in methods:
        credential = _application_credential(identity.get("application_credential"))
        if auth.get("scope") not in (None, "unscoped"):
            raise Unauthorized("Application credentials cannot request a scope.")
        user_id = credential.user_id
        scope_kind, scope_id = "project", credential.project_id
        app_cred_id = credential.id
        if credential.expires_at:
            expires_at = min(expires_at, credential.expires_at.timestamp())
    elif "token" in methods:
        ref = identity.get("token")
        if not isinstance(ref, dict) or not isinstance(ref.get("id"), str):
            raise BadRequest("token authentication needs token.id")
        original = _decode(ref["id"])
        if original is None or _info(original) is None:
            raise Unauthorized(AUTH_FAILED)
        if original.application_credential_id:
            raise Unauthorized("A token made from an application credential cannot be rescoped.")
        user_id = original.user_id
        expires_at = original.expires_at
        audit_ids = (new_audit_id(), original.audit_ids[-1])
        methods = sorted(set(methods) | set(original.methods))
        if scope_kind is None and auth.get("scope") is None:
            scope_kind, scope_id = _scope_of(original)
    else:
        user_id = _password_user(identity.get("password")).id

    if scope_kind is None and auth.get("scope") != "unscoped" and "token" not in methods:
        scope_kind, scope_id = _default_project_scope(user_id)

    data = TokenData(
        user_id=user_id,
        methods=tuple(methods),
        issued_at=now,
        expires_at=expires_at,
        audit_ids=audit_ids,
        project_id=scope_id if scope_kind == "project" else None,
        domain_id=scope_id if scope_kind == "domain" else None,
        system=scope_id if scope_kind == "system" else None,
        application_credential_id=app_cred_id,
    )
    info = _info(data)
    if info is None:
        raise Unauthorized(AUTH_FAILED)
    return repository().encrypt(data.pack()), data, info


def _scope_of(data):
    if data.project_id:
        return "project", data.project_id
    if data.domain_id:
        return "domain", data.domain_id
    if data.system:
        return "system", data.system
    return None, None


def _default_project_scope(user_id):
    """Keystone scopes a request without scope to the user's default project when it can."""
    user = User.objects.filter(id=user_id).only("default_project_id").first()
    if user and user.default_project_id:
        project = Project.objects.filter(id=user.default_project_id, enabled=True).first()
        if project and assignments_query.direct_role_ids_on_project(user_id, project):
            return "project", project.id
    return None, None


# --- validating ------------------------------------------------------------------------------

def _decode(token_id):
    if not isinstance(token_id, str) or not token_id or len(token_id) > 1024:
        return None
    try:
        data = TokenData.unpack(repository().decrypt(token_id))
    except (InvalidToken, ValueError, TypeError, msgpack.exceptions.ExtraData, UnicodeEncodeError):
        return None
    if data.expires_at <= time.time():
        return None
    if revocation.is_revoked(data.issued_at, data.user_id, data.project_id, data.domain_id, data.audit_ids,
                             data.application_credential_id):
        return None
    return data


def _load_info(data):
    user = User.objects.select_related("domain").filter(id=data.user_id).first()
    if user is None or not user.enabled or not user.domain.enabled:
        return None
    user_ref = {
        "id": user.id,
        "name": user.name,
        "domain": {"id": user.domain_id, "name": user.domain.name},
        "password_expires_at": isotime(user.password_expires_at),
    }
    project_ref = domain_ref = credential_ref = None
    if data.project_id:
        project = Project.objects.select_related("domain").filter(id=data.project_id).first()
        if project is None or not project.enabled or not project.domain.enabled:
            return None
        role_ids = assignments_query.direct_role_ids_on_project(user.id, project)
        project_ref = {"id": project.id, "name": project.name,
                       "domain": {"id": project.domain_id, "name": project.domain.name}}
    elif data.domain_id:
        domain = Domain.objects.filter(id=data.domain_id).first()
        if domain is None or not domain.enabled:
            return None
        role_ids = assignments_query.direct_role_ids_on_domain(user.id, domain.id)
        domain_ref = {"id": domain.id, "name": domain.name}
    elif data.system:
        role_ids = assignments_query.direct_role_ids_on_system(user.id)
    else:
        role_ids = set()
    roles = tuple(assignments_query.roles_for(role_ids)) if role_ids else ()
    if data.application_credential_id:
        credential = ApplicationCredential.objects.filter(id=data.application_credential_id).first()
        if credential is None:
            return None
        allowed = assignments_query.implied_closure(credential.roles.values_list("id", flat=True))
        if not {role_id for role_id, _ in roles} >= set(credential.roles.values_list("id", flat=True)):
            return None  # the user lost a role the credential was made with
        roles = tuple(r for r in roles if r[0] in allowed)
        credential_ref = {"id": credential.id, "name": credential.name,
                          "restricted": not credential.unrestricted}
    if (data.project_id or data.domain_id or data.system) and not roles:
        return None
    return AuthInfo(user=user_ref, roles=roles, project=project_ref, domain=domain_ref,
                    application_credential=credential_ref)


def _validation_store():
    """This generation's caches of what tokens mean: {"info": {scope key: AuthInfo},
    "contexts": {token id: RequestContext fields}}; one generation check per validation."""
    store = identity_cache.store("validation")
    if not store:
        store["info"] = {}
        store["contexts"] = {}
    return store


def _info(data, store=None):
    cache = (store or _validation_store())["info"]
    key = (data.user_id, data.project_id, data.domain_id, data.system, data.application_credential_id)
    try:
        return cache[key]
    except KeyError:
        pass
    info = _load_info(data)
    cache[key] = info
    return info


def validate(token_id):
    """(TokenData, AuthInfo) for a valid token, else None."""
    data = _decode(token_id)
    if data is None:
        return None
    info = _info(data)
    if info is None:
        return None
    return data, info


# Contexts kept per token id until the generation changes; cleared when this many accumulate.
CONTEXT_CACHE_LIMIT = 4096
# A frozen dataclass without __slots__ can be filled from a cached __dict__, which costs a fraction of
# its generated __init__ (one object.__setattr__ per field) on the hot path.
_CONTEXT_FROM_DICT = not hasattr(RequestContext, "__slots__")


def _context_fields(token_id, data, info):
    project = info.project or {}
    template = RequestContext(
        user_id=data.user_id,
        user_name=info.user["name"],
        user_domain_id=info.user["domain"]["id"],
        project_id=data.project_id,
        project_name=project.get("name"),
        project_domain_id=project.get("domain", {}).get("id"),
        domain_id=data.domain_id,
        system_scope=data.system,
        roles=info.role_names,
        token_id=token_id,
        audit_ids=data.audit_ids,
        methods=data.methods,
        expires_at=data.expires_at,
        application_credential_id=data.application_credential_id,
        request_id="",
    )
    return dict(template.__dict__) if _CONTEXT_FROM_DICT else template


def context_from_token(token_id, request_id=None):
    """The RequestContext every API and dashboard request runs with, or None for a bad token.

    Every call decrypts the token and checks its expiry and the revocation events; only what the
    token's identity means (names, roles) comes from the generation-scoped cache.
    """
    data = _decode(token_id)
    if data is None:
        return None
    store = _validation_store()
    contexts = store["contexts"]
    fields = contexts.get(token_id)
    if fields is None:
        info = _info(data, store)
        if info is None:
            return None
        fields = _context_fields(token_id, data, info)
        if len(contexts) >= CONTEXT_CACHE_LIMIT:
            contexts.clear()
        contexts[token_id] = fields
    request_id = request_id or new_request_id()
    if not _CONTEXT_FROM_DICT:
        return dataclasses.replace(fields, request_id=request_id)
    context = object.__new__(RequestContext)
    context.__dict__.update(fields)
    context.__dict__["request_id"] = request_id
    return context


def token_body(data, info, with_catalog=True):
    token = {
        "methods": list(data.methods),
        "user": info.user,
        "audit_ids": list(data.audit_ids),
        "expires_at": isotime(data.expires_at),
        "issued_at": isotime(data.issued_at),
    }
    if data.project_id:
        token["project"] = info.project
        token["is_domain"] = False
    elif data.domain_id:
        token["domain"] = info.domain
    elif data.system:
        token["system"] = {data.system: True}
    if info.roles:
        token["roles"] = [{"id": role_id, "name": name} for role_id, name in info.roles]
    if info.application_credential:
        token["application_credential"] = info.application_credential
    if with_catalog and (data.project_id or data.domain_id or data.system):
        token["catalog"] = catalog_for(data.project_id)
    elif with_catalog:
        token["catalog"] = []
    return {"token": token}


# --- checking and revoking other tokens --------------------------------------------------------

def check_subject_token(ctx, subject_token):
    """Validate X-Subject-Token for the caller: 404 when invalid, as Keystone answers."""
    validated = validate(subject_token) if subject_token else None
    if validated is None:
        raise NotFound("Could not find token: %s" % (subject_token or "")[:32])
    data, _info_ = validated
    policy.enforce(ctx, "identity:validate_token", {"token": {"user_id": data.user_id}})
    return validated


def revoke_token(ctx, subject_token):
    data, _info_ = check_subject_token(ctx, subject_token)
    policy.enforce(ctx, "identity:revoke_token", {"token": {"user_id": data.user_id}})
    # Revoking by the chain's root revokes every token rescoped from it too.
    revocation.revoke(audit_id=data.audit_ids[-1])
