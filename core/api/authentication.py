"""Every API request is authenticated by the identity service's token validator (X-Auth-Token).

A browser already logged in to the dashboard may use the browsable API with its session's token.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from rest_framework.authentication import BaseAuthentication, CSRFCheck
from rest_framework.exceptions import PermissionDenied

from core.exceptions import Unauthorized


class ApiUser:
    """What DRF calls request.user: a thin face over the RequestContext."""

    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, ctx):
        self.ctx = ctx
        self.id = self.pk = ctx.user_id
        self.username = ctx.user_name

    def __str__(self):
        return self.username or ""


_validator = None


def validate(token_id, request_id=None):
    global _validator
    if _validator is None:
        _validator = import_string(getattr(settings, "NEBULA_TOKEN_VALIDATOR",
                                           "identity.services.tokens.context_from_token"))
    return _validator(token_id, request_id=request_id)


class TokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        django_request = request._request
        request_id = getattr(django_request, "request_id", None)
        token = request.META.get("HTTP_X_AUTH_TOKEN")
        from_session = False
        if not token:
            session = getattr(django_request, "session", None)
            token = session.get(settings.SESSION_TOKEN_KEY) if session is not None else None
            from_session = bool(token)
        if not token:
            return None
        ctx = validate(token, request_id=request_id)
        if ctx is None:
            if from_session:
                return None
            raise Unauthorized("The request you have made requires authentication.")
        if from_session:
            self._enforce_csrf(django_request)
        return ApiUser(ctx), ctx

    @staticmethod
    def _enforce_csrf(django_request):
        check = CSRFCheck(lambda req: None)
        check.process_request(django_request)
        reason = check.process_view(django_request, None, (), {})
        if reason:
            raise PermissionDenied(f"CSRF Failed: {reason}")

    def authenticate_header(self, request):
        return f'Keystone uri="{settings.PUBLIC_URL}/identity"'
