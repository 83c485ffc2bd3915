"""The dashboard session: the token id and the scoped project, and the identity calls behind them.

Everything here goes through identity.services (tokens, auth_scopes); nothing touches models.
"""

from django.conf import settings

from core.context import RequestContext
from core.exceptions import NebulaError, Unauthorized
from identity.services import auth_scopes, tokens

TOKEN_KEY = settings.SESSION_TOKEN_KEY
PROJECT_KEY = "nebula_project_id"


def password_auth(domain, username, password, project_id=None):
    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": username, "domain": {"name": domain}, "password": password}}}}
    if project_id:
        auth["scope"] = {"project": {"id": project_id}}
    token_id, _data, _info = tokens.authenticate(auth)
    return token_id


def rescope(token_id, project_id):
    """A token for project_id made from token_id (token method): same user, same audit chain."""
    auth = {"identity": {"methods": ["token"], "token": {"id": token_id}},
            "scope": {"project": {"id": project_id}}}
    new_token, _data, _info = tokens.authenticate(auth)
    return new_token


def log_in(request, domain, username, password):
    """Authenticate and scope to the default project, else the first project with roles.

    Returns the RequestContext of the scoped token; raises Unauthorized when the credentials are
    wrong or the user has no project to work in (Horizon refuses those logins too).
    """
    token_id = password_auth(domain, username, password)
    ctx = tokens.context_from_token(token_id)
    if ctx is None:
        raise Unauthorized()
    if not ctx.project_id:
        projects = auth_scopes.projects_for_caller(ctx)
        if not projects:
            raise Unauthorized("You are not authorized for any projects.")
        token_id = rescope(token_id, projects[0].id)
        ctx = tokens.context_from_token(token_id)
    request.session.cycle_key()
    request.session[TOKEN_KEY] = token_id
    request.session[PROJECT_KEY] = ctx.project_id
    return ctx


def switch_project(request, project_id):
    token_id = rescope(request.session[TOKEN_KEY], project_id)
    ctx = tokens.context_from_token(token_id)
    request.session[TOKEN_KEY] = token_id
    request.session[PROJECT_KEY] = ctx.project_id
    return ctx


def log_out(request):
    """Revoke the session's token chain (every token rescoped from the login too) and forget it."""
    token_id = request.session.get(TOKEN_KEY)
    if token_id:
        ctx = tokens.context_from_token(token_id)
        if ctx is not None:
            try:
                tokens.revoke_token(ctx, token_id)
            except NebulaError:
                pass  # already invalid: nothing left to revoke
    request.session.flush()


def context(request) -> RequestContext | None:
    token_id = request.session.get(TOKEN_KEY)
    if not token_id:
        return None
    return tokens.context_from_token(token_id, request_id=getattr(request, "request_id", None))


def projects(ctx):
    return auth_scopes.projects_for_caller(ctx)
