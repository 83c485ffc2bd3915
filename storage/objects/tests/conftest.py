import pytest

from storage.objects import bootstrap, ring as ring_module


@pytest.fixture
def object_store(settings, tmp_path):
    """A fresh 4-device, 3-replica ring under tmp_path; returns the ring."""
    settings.OBJECT_DEVICES_DIR = str(tmp_path / "objects")
    bootstrap.run(None, {})
    yield ring_module.load()
    ring_module._cache.clear()


@pytest.fixture
def swift(api, bootstrapped, object_store, demo_token):
    """api calls against the demo project's account: swift.url('c', 'o'), raw bodies."""
    from identity.models import Project

    project_id = Project.objects.get(name="demo").id

    class Swift:
        token = demo_token
        project = project_id

        def url(self, *parts, project=None):
            from urllib.parse import quote

            base = f"/object/v1/AUTH_{project or project_id}"
            return base + "".join("/" + quote(p) for p in parts)

        def call(self, method, *parts, body=None, headers=None, token="default", query="", project=None):
            from django.test import Client

            client = Client()
            url = self.url(*parts, project=project) + (f"?{query}" if query else "")
            extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
            if "HTTP_CONTENT_TYPE" in extra:
                extra["CONTENT_TYPE"] = extra.pop("HTTP_CONTENT_TYPE")
            tok = self.token if token == "default" else token
            if tok:
                extra["HTTP_X_AUTH_TOKEN"] = tok
            if body is not None:
                extra.setdefault("CONTENT_TYPE", "")
                if not body:
                    extra["CONTENT_LENGTH"] = "0"
                return client.generic(method, url, data=body, **extra)
            return client.generic(method, url, **extra)

    return Swift()
