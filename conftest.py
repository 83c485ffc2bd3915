"""Fixtures shared by every app's tests."""

import pytest

from core.context import RequestContext
from core.testing.browser import browser, browser_page  # noqa: F401  (browser tests: see dashboard/README.md)


@pytest.fixture(scope="session")
def live_cloud():
    """A live Nebula (gunicorn + Celery worker on its own database) for end-to-end tests."""
    from core.testing.live import LiveCloud

    cloud = LiveCloud().start()
    try:
        yield cloud
    finally:
        cloud.stop()


@pytest.fixture(scope="session")
def ldap_server():
    """A throwaway slapd on a loopback port with users alice and bob and a group admins (core/testing/ldap.py)."""
    from core.testing.ldap import start_or_skip

    server = start_or_skip()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def bootstrapped(db, settings, tmp_path):
    """The bootstrap's state in the test database: {"admin": pw, "demo": pw, "public_url": url}."""
    from identity.services.bootstrap import bootstrap

    settings.FERNET_KEY_REPOSITORY = tmp_path / "fernet-keys"
    return bootstrap(public_url="http://testserver", admin_password="adminpw", demo_password="demopw")


@pytest.fixture
def internal_ctx():
    return RequestContext.internal()


def _issue(username, password, project):
    from identity.services import tokens

    auth = {"identity": {"methods": ["password"], "password": {
        "user": {"name": username, "domain": {"id": "default"}, "password": password}}}}
    if project:
        auth["scope"] = {"project": {"name": project, "domain": {"id": "default"}}}
    token_id, _data, _info = tokens.authenticate(auth)
    return token_id


@pytest.fixture
def issue_token(bootstrapped):
    """issue_token(user, password, project) -> token id, through the real token service."""
    return _issue


@pytest.fixture
def admin_token(issue_token):
    return issue_token("admin", "adminpw", "admin")


@pytest.fixture
def demo_token(issue_token):
    return issue_token("demo", "demopw", "demo")


@pytest.fixture
def api(client):
    """Django test client speaking JSON with an optional X-Auth-Token: api.get(url, token=...)."""

    class Api:
        def _call(self, method, url, body=None, token=None, headers=None, raw=None, content_type="application/json"):
            import json

            extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
            if token:
                extra["HTTP_X_AUTH_TOKEN"] = token
            data = raw if raw is not None else (json.dumps(body) if body is not None else None)
            kwargs = {"content_type": content_type} if data is not None else {}
            return getattr(client, method)(url, data=data, **kwargs, **extra) if data is not None else \
                getattr(client, method)(url, **extra)

        def get(self, url, **kw):
            return self._call("get", url, **kw)

        def head(self, url, **kw):
            return self._call("head", url, **kw)

        def post(self, url, body=None, **kw):
            return self._call("post", url, body, **kw)

        def put(self, url, body=None, **kw):
            return self._call("put", url, body, **kw)

        def patch(self, url, body=None, **kw):
            return self._call("patch", url, body, **kw)

        def delete(self, url, **kw):
            return self._call("delete", url, **kw)

    return Api()
