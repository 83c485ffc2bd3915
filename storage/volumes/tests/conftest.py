"""Volume test fixtures: a bootstrapped cloud with two back ends of this host (a `file` one under a
temporary directory, a `fake` one), both reported in, and Celery tasks run inline where they are sent."""

import pytest
from celery import current_app

from core.context import RequestContext


@pytest.fixture
def eager_tasks():
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def project_ctx(name, user=None):
    from identity.models import Project, User

    user = user or ("admin" if name == "admin" else "demo")
    project = Project.objects.get(name=name, domain_id="default")
    user_row = User.objects.get(name=user, domain_id="default")
    roles = ("admin", "member", "reader") if name == "admin" else ("member", "reader")
    return RequestContext(user_id=user_row.id, user_name=user, project_id=project.id, project_name=name,
                          roles=roles)


@pytest.fixture
def volume_cloud(bootstrapped, settings, tmp_path, eager_tasks, django_capture_on_commit_callbacks):
    """{"demo": ctx, "admin": ctx, "run": context manager running what a block sends, "dir": file back end dir}."""
    from storage.volumes import bootstrap, manager

    settings.VOLUME_HOST = "testhost"
    settings.VOLUME_BACKENDS = f"file=file:{tmp_path / 'file'},fake=fake:100"
    settings.OBJECT_DEVICES_DIR = str(tmp_path / "objects")
    manager._drivers.clear()
    bootstrap.run(RequestContext.internal(), {})
    for service_host in ("testhost@file", "testhost@fake"):
        manager.report(service_host)

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    yield {"demo": project_ctx("demo"), "admin": project_ctx("admin"), "run": run, "dir": tmp_path / "file"}
    manager._drivers.clear()
