"""Compute test fixtures: a bootstrapped cloud with flavors, the demo `private` network, a bootable image,
fake compute hosts reporting in, and Celery running tasks inline (the whole boot flow in one process)."""

import io

import pytest
from celery import current_app

from core.context import RequestContext


@pytest.fixture
def eager_tasks():
    """Tasks run inline where they are sent (CELERY_TASK_ALWAYS_EAGER, as NEBULA_TASKS_EAGER=1 does)."""
    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def fake_hosts_reset():
    from compute import manager
    from compute.drivers import fake

    manager._drivers.clear()
    with fake._lock:
        fake._guests.clear()
    yield
    manager._drivers.clear()
    with fake._lock:
        fake._guests.clear()


def project_ctx(name, user="demo"):
    from identity.models import Project, User

    project = Project.objects.get(name=name, domain_id="default")
    user_row = User.objects.get(name=user, domain_id="default")
    roles = ("admin", "member", "reader") if name == "admin" else ("member", "reader")
    return RequestContext(user_id=user_row.id, user_name=user, project_id=project.id, project_name=name,
                          roles=roles)


@pytest.fixture
def compute_cloud(bootstrapped, settings, tmp_path, eager_tasks, fake_hosts_reset, django_capture_on_commit_callbacks):
    """{"demo": ctx, "admin": ctx, "image": image id, "network": private network id, "hosts": [...],
    "run": a context manager that runs what a block sends (on-commit callbacks, inline tasks)}."""
    from compute import bootstrap as compute_bootstrap
    from compute import manager
    from network import bootstrap as network_bootstrap
    from network.models import Network
    from storage.images import services as image_services

    settings.COMPUTE_HOST = "fake-a,fake-b"
    settings.IMAGE_STORE_DIR = tmp_path / "images"
    internal = RequestContext.internal()
    network_bootstrap.run(internal, bootstrapped)
    compute_bootstrap.run(internal, bootstrapped)
    demo, admin = project_ctx("demo"), project_ctx("admin", "admin")
    image = image_services.create_image(admin, name="cirros", disk_format="raw", container_format="bare",
                                        visibility="public")
    image_services.upload_image_data(admin, image.id, io.BytesIO(b"\0" * 4096))
    hosts = ["fake-a", "fake-b"]
    with django_capture_on_commit_callbacks(execute=True):
        for host in hosts:
            manager.report_host(host)
    return {"demo": demo, "admin": admin, "image": image.id, "hosts": hosts,
            "network": Network.objects.get(name="private", project_id=demo.project_id).id,
            "run": lambda: django_capture_on_commit_callbacks(execute=True)}
