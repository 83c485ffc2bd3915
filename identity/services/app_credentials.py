"""Application credentials: a user delegates (some of) their roles on one project to a secret.

The secret is generated when none is given, stored hashed, and shown only in the create response.
Deleting a credential revokes every token made from it.
"""

import secrets

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core.exceptions import BadRequest, Conflict, Forbidden, NotFound
from identity.models import ApplicationCredential, Role, User
from identity.services import common, revocation
from identity.services.cache import changed


def _target(user_id):
    return {"user": {"id": user_id}}


def _duplicate(name):
    return Conflict(f"Conflict occurred attempting to store application_credential - Duplicate entry found "
                    f"with name {name}.")


def _roles(ctx, requested):
    """Role rows for [{id}|{name}] (default: every role of the caller's token), each held by the caller."""
    held = Role.objects.filter(name__in=ctx.roles)
    if requested is None:
        return list(held)
    if not isinstance(requested, list):
        raise BadRequest("Invalid input for field 'roles': a list is required.")
    held_by_id = {r.id: r for r in held}
    result = {}
    for ref in requested:
        if not isinstance(ref, dict) or not (isinstance(ref.get("id"), str) or isinstance(ref.get("name"), str)):
            raise BadRequest("Each role must be an object with an id or a name.")
        if ref.get("id"):
            role = held_by_id.get(ref["id"])
        else:
            role = next((r for r in held_by_id.values() if r.name == ref["name"]
                         and r.domain_id == ref.get("domain_id")), None)
        if role is None:
            raise BadRequest(f"The caller's token has no role {ref.get('id') or ref.get('name')} on its project; "
                             "an application credential can only delegate roles the user holds.")
        result[role.id] = role
    return list(result.values())


def create_application_credential(ctx, user_id, name=None, secret=None, description=None, expires_at=None,
                                  roles=None, unrestricted=False, access_rules=None, **_ignored):
    user = common.get_or_404(User, user_id, "user")
    common.enforce(ctx, "identity:create_application_credential", _target(user.id))
    if not ctx.project_id:
        raise Forbidden("Creating an application credential requires a project-scoped token.")
    if ctx.application_credential_id:
        current = ApplicationCredential.objects.filter(id=ctx.application_credential_id).first()
        if current is None or not current.unrestricted:
            raise Forbidden("Using method 'application_credential' is not allowed for managing additional "
                            "application credentials.")
    name = common.name(name)
    if secret is None:
        secret = secrets.token_urlsafe(64)
    elif not isinstance(secret, str) or not secret or len(secret) > 4096:
        raise BadRequest("Invalid input for field 'secret': a non-empty string is required.")
    expires = common.timestamp(expires_at, "expires_at")
    if expires is not None and expires <= timezone.now():
        raise BadRequest("expires_at must be in the future.")
    if access_rules not in (None, []):
        raise BadRequest("Access rules are not supported.")
    credential = ApplicationCredential(
        name=name, user=user, project_id=ctx.project_id, description=common.text(description, "description"),
        secret_hash=make_password(secret), expires_at=expires,
        unrestricted=common.boolean(unrestricted, "unrestricted"),
    )
    role_rows = _roles(ctx, roles)
    if not role_rows:
        raise BadRequest("An application credential needs at least one role.")
    with transaction.atomic():
        common.insert_unique(credential, ApplicationCredential.objects.filter(user=user, name=name), _duplicate(name))
        credential.roles.set(role_rows)
    return credential, secret, role_rows


def list_application_credentials(ctx, user_id, name=None, **_ignored):
    user = common.get_or_404(User, user_id, "user")
    common.enforce(ctx, "identity:list_application_credentials", _target(user.id))
    query = ApplicationCredential.objects.filter(user=user).prefetch_related("roles")
    if name is not None:
        query = query.filter(name=name)
    return list(query.order_by("name", "id"))


def get_application_credential(ctx, user_id, credential_id):
    common.enforce(ctx, "identity:get_application_credential", _target(user_id))
    credential = ApplicationCredential.objects.filter(id=credential_id, user_id=user_id).first() \
        if isinstance(credential_id, str) else None
    if credential is None:
        raise NotFound(f"Could not find application credential: {credential_id}.")
    return credential


def delete_application_credential(ctx, user_id, credential_id):
    common.enforce(ctx, "identity:delete_application_credential", _target(user_id))
    if ctx.application_credential_id:
        current = ApplicationCredential.objects.filter(id=ctx.application_credential_id).first()
        if current is None or not current.unrestricted:
            raise Forbidden("Using method 'application_credential' is not allowed for managing additional "
                            "application credentials.")
    with transaction.atomic():
        deleted, _ = ApplicationCredential.objects.filter(id=credential_id, user_id=user_id).delete()
        if not deleted:
            raise NotFound(f"Could not find application credential: {credential_id}.")
        revocation.revoke(application_credential_id=credential_id)
        changed()
