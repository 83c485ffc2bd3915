"""Operators sign in to the Django admin console with their identity credentials (admins only)."""

from django.contrib.auth import get_user_model

from core.exceptions import NebulaError
from identity.services import tokens


def authenticate_operator(username, password, domain_name="Default"):
    """The Django user standing for an identity admin, or None."""
    if not username or not password:
        return None
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": username, "domain": {"name": domain_name}, "password": password}}},
        "scope": {"system": {"all": True}}}
    try:
        _token, data, info = tokens.authenticate(auth)
    except NebulaError:
        return None
    if "admin" not in info.role_names:
        return None
    user_model = get_user_model()
    operator, _ = user_model.objects.get_or_create(username=f"{username}@{domain_name}")
    changed = not (operator.is_staff and operator.is_superuser and operator.is_active)
    operator.is_staff = operator.is_superuser = operator.is_active = True
    operator.set_unusable_password()
    if changed or operator.has_usable_password():
        operator.save()
    operator.identity_user_id = data.user_id
    return operator
