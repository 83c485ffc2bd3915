"""Users: local (SQL) users are written here; users of a read-only backend (LDAP) only synced and read."""

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from core.exceptions import BadRequest, Conflict, Forbidden, NotFound, Unauthorized
from identity import backends
from identity.models import Domain, DomainConfig, Group, Project, User
from identity.services import common, revocation
from identity.services.cache import changed

FIELDS = ("name", "domain_id", "password", "enabled", "email", "description", "default_project_id", "options")
READ_ONLY = ("id", "links", "password_expires_at")


def _target(user):
    return {"user": {"id": user.id, "domain_id": user.domain_id}}


def _duplicate(name):
    return Conflict(f"Conflict occurred attempting to store user - Duplicate entry found with name {name} "
                    "at domain ID.")


def _require_writable(domain):
    if not backends.for_domain(domain).writable:
        raise Forbidden(f"The identity backend of domain {domain.name} is read-only.")


def _password(value):
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 4096:
        raise BadRequest("Invalid input for field 'password': a string is required.")
    return make_password(value)


def _default_project(value):
    value = common.optional_id(value, "default_project_id")
    if value and not Project.objects.filter(id=value).exists():
        raise NotFound(f"Could not find project: {value}.")
    return value


def _extra(extra):
    for key in extra:
        if not isinstance(key, str) or key in READ_ONLY:
            raise BadRequest(f"Attribute {key!r} is read-only.")
    return dict(extra)


def get_user(ctx, user_id):
    user = common.get_or_404(User, user_id, "user")
    common.enforce(ctx, "identity:get_user", _target(user))
    return user


def sync_domains(domain_id=None):
    """Bring external directories up to date before a listing (nothing to do for SQL domains)."""
    if domain_id:
        domains = Domain.objects.filter(id=domain_id)
    else:
        domains = Domain.objects.filter(id__in=DomainConfig.objects.exclude(driver="sql").values("domain_id"))
    for domain in domains.select_related("config"):
        yield domain


def list_users(ctx, name=None, domain_id=None, enabled=None, **_ignored):
    common.enforce(ctx, "identity:list_users", {"domain_id": domain_id})
    for domain in sync_domains(domain_id):
        backends.for_domain(domain).sync_users(domain)
    query = User.objects.all()
    if name is not None:
        query = query.filter(name=name)
    if domain_id is not None:
        query = query.filter(domain_id=domain_id)
    enabled = common.query_bool(enabled, "enabled")
    if enabled is not None:
        query = query.filter(enabled=enabled)
    return list(query.order_by("name", "id"))


def create_user(ctx, name=None, domain_id=None, password=None, enabled=True, email=None, description=None,
                default_project_id=None, options=None, **extra):
    name = common.name(name)
    domain_id = common.optional_id(domain_id, "domain_id") or ctx.project_domain_id or ctx.domain_id \
        or Domain.DEFAULT_ID
    domain = Domain.objects.filter(id=domain_id).select_related("config").first()
    if domain is None:
        raise NotFound(f"Could not find domain: {domain_id}.")
    common.enforce(ctx, "identity:create_user", {"user": {"domain_id": domain.id}})
    _require_writable(domain)
    user = User(name=name, domain=domain, password=_password(password), enabled=common.boolean(enabled, "enabled"),
                email=common.text(email, "email", 255), description=common.text(description, "description"),
                default_project_id=_default_project(default_project_id),
                options=common.mapping(options, "options"), extra=_extra(extra))
    common.insert_unique(user, User.objects.filter(domain=domain, name=name), _duplicate(name))
    return user


def update_user(ctx, user_id, **changes):
    with transaction.atomic():
        user = common.get_or_404(User, user_id, "user", User.objects.select_for_update().select_related("domain"))
        common.enforce(ctx, "identity:update_user", _target(user))
        _require_writable(user.domain)
        if "id" in changes and changes.pop("id") != user.id:
            raise BadRequest("The user id cannot be changed.")
        changes.pop("links", None)
        if "domain_id" in changes and changes.pop("domain_id") != user.domain_id:
            raise BadRequest("Update of `domain_id` is not allowed.")
        was_enabled = user.enabled
        revoke_tokens = False
        if "name" in changes:
            user.name = common.name(changes.pop("name"))
            if User.objects.filter(domain_id=user.domain_id, name=user.name).exclude(id=user.id).exists():
                raise _duplicate(user.name)
        if "password" in changes:
            user.password = _password(changes.pop("password"))
            revoke_tokens = True
        if "enabled" in changes:
            user.enabled = common.boolean(changes.pop("enabled"), "enabled")
        if "email" in changes:
            user.email = common.text(changes.pop("email"), "email", 255)
        if "description" in changes:
            user.description = common.text(changes.pop("description"), "description")
        if "default_project_id" in changes:
            user.default_project_id = _default_project(changes.pop("default_project_id"))
        if "options" in changes:
            user.options = common.mapping(changes.pop("options"), "options")
        if changes:
            extra = dict(user.extra or {})
            for key, value in _extra(changes).items():
                if value is None:
                    extra.pop(key, None)
                else:
                    extra[key] = value
            user.extra = extra
        user.save()
        if revoke_tokens or (was_enabled and not user.enabled):
            revocation.revoke(user_id=user.id)
        changed()
    return user


def delete_user(ctx, user_id):
    with transaction.atomic():
        user = common.get_or_404(User, user_id, "user", User.objects.select_for_update().select_related("domain"))
        common.enforce(ctx, "identity:delete_user", _target(user))
        _require_writable(user.domain)
        user.delete()
        revocation.revoke(user_id=user_id)
        changed()


def change_password(ctx, user_id, original_password=None, password=None):
    """A user changes their own password: the old one must match; every token of theirs is revoked."""
    if not isinstance(original_password, str) or not isinstance(password, str):
        raise BadRequest("original_password and password are required strings.")
    with transaction.atomic():
        user = common.get_or_404(User, user_id, "user", User.objects.select_for_update().select_related("domain"))
        common.enforce(ctx, "identity:change_password", _target(user))
        _require_writable(user.domain)
        if not user.password or not check_password(original_password, user.password):
            raise Unauthorized("The request you have made requires authentication.")
        user.password = _password(password)
        user.save(update_fields=["password", "updated_at"])
        revocation.revoke(user_id=user.id)
        changed()
    return user


def list_user_groups(ctx, user_id):
    user = common.get_or_404(User, user_id, "user")
    common.enforce(ctx, "identity:list_groups_for_user", _target(user))
    return list(Group.objects.filter(members=user).order_by("name", "id"))
