"""Sets request.ctx for every dashboard page and guards panels by role.

Pages under /dashboard/ (except the login page) need a valid token in the session: without one the
browser is sent to the login page (htmx requests get HX-Redirect). A panel's pages answer 403 to a
caller whose roles the panel does not allow. Service errors raised by views become pages: Forbidden
403, NotFound 404, Unauthorized back to the login.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render

from core.exceptions import BadRequest, Conflict, Forbidden, NotFound, Unauthorized, NebulaError
from dashboard import registry, session

PUBLIC_PREFIXES = ("/dashboard/auth/login/",)


def login_redirect(request):
    url = settings.LOGIN_URL
    if request.method == "GET" and not getattr(request, "htmx", False):
        url += "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        response = HttpResponseRedirect(url)
        response.status_code = 204
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def forbidden(request, message="You are not authorized to access this page."):
    return render(request, "dashboard/error.html", {"code": 403, "title": "Forbidden", "message": message},
                  status=403)


class DashboardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith("/dashboard/"):
            return self.get_response(request)
        request.ctx = None
        request.panel = None
        if path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        ctx = session.context(request)
        if ctx is None or not ctx.project_id:
            had_token = bool(request.session.get(session.TOKEN_KEY))
            request.session.flush()
            if had_token:
                messages.warning(request, "Your session has expired. Please log in again.")
            return login_redirect(request)
        request.ctx = ctx
        request.panel = registry.panel_for_path(path)
        if path.startswith(("/dashboard/admin/", "/dashboard/identity/")) and not ctx.is_admin:
            return forbidden(request)
        if request.panel is not None and not request.panel.allowed(ctx):
            return forbidden(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path_info.startswith("/dashboard/") or not isinstance(exception, NebulaError):
            return None
        if isinstance(exception, Unauthorized):
            request.session.flush()
            return login_redirect(request)
        if isinstance(exception, Forbidden):
            return forbidden(request, exception.message)
        if isinstance(exception, NotFound):
            return render(request, "dashboard/error.html",
                          {"code": 404, "title": "Not Found", "message": exception.message}, status=404)
        if isinstance(exception, (BadRequest, Conflict)) or exception.status < 500:
            messages.error(request, exception.message)
            back = request.META.get("HTTP_REFERER") or "/dashboard/"
            return HttpResponseRedirect(back)
        return None
