from django.contrib.auth.backends import ModelBackend

from identity.services.admin_console import authenticate_operator


class IdentityAdminBackend(ModelBackend):
    """Django admin console login through the identity service; only cloud admins get in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return authenticate_operator(username, password)

    def user_can_authenticate(self, user):
        return user.is_active
