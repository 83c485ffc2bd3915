"""The volume panels with the Django test client: list pages (query counts), the modals calling the services."""

import pytest

from dashboard.testing import login
from storage.volumes.models import Backup, Snapshot, Volume, VolumeType

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_client(client, volume_cloud):
    login(client, "demo", "demopw")
    return client


def _volume(volume_cloud, name="dash", size=1):
    from storage.volumes.services import volumes

    with volume_cloud["run"]():
        volume = volumes.create_volume(volume_cloud["demo"], size=size, name=name)
    volume.refresh_from_db()
    return volume


def test_volumes_page_and_query_count(demo_client, volume_cloud, django_assert_max_num_queries):
    for index in range(4):
        _volume(volume_cloud, f"dash{index}")
    with django_assert_max_num_queries(20):
        response = demo_client.get("/dashboard/project/volumes/")
    assert response.status_code == 200 and b"dash3" in response.content and b"Create Volume" in response.content


def test_create_extend_snapshot_backup_through_modals(demo_client, volume_cloud, settings):
    from core.context import RequestContext
    from storage.objects import bootstrap as objects_bootstrap

    objects_bootstrap.run(RequestContext.internal(), {})
    settings.VOLUME_BACKUP_CHUNK_SIZE = 256 * 1024 * 1024
    form = demo_client.get("/dashboard/project/volumes/create/")
    assert form.status_code == 200 and b"Volume Source" in form.content
    bad = demo_client.post("/dashboard/project/volumes/create/", {"name": "x", "source": "none"},
                           HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and b"needs a size" in bad.content and not Volume.objects.exists()
    with volume_cloud["run"]():
        created = demo_client.post("/dashboard/project/volumes/create/", {"name": "web", "source": "none", "size": 1},
                                   HTTP_HX_REQUEST="true")
    assert created.status_code == 204, created.content
    volume = Volume.objects.get(name="web")
    assert volume.status == "available"
    with volume_cloud["run"]():
        extended = demo_client.post(f"/dashboard/project/volumes/{volume.id}/extend/", {"new_size": 2},
                                    HTTP_HX_REQUEST="true")
    assert extended.status_code == 204 and Volume.objects.get(pk=volume.id).size == 2
    with volume_cloud["run"]():
        demo_client.post(f"/dashboard/project/volumes/{volume.id}/snapshot/", {"name": "snap"}, HTTP_HX_REQUEST="true")
    snapshot = Snapshot.objects.get(name="snap")
    assert snapshot.status == "available"
    with volume_cloud["run"]():
        from_snap = demo_client.post("/dashboard/project/volumes/create/", {
            "name": "from-snap", "source": "snapshot", "snapshot": snapshot.id}, HTTP_HX_REQUEST="true")
    assert from_snap.status_code == 204 and Volume.objects.get(name="from-snap").size == 2
    with volume_cloud["run"]():
        demo_client.post(f"/dashboard/project/volumes/{volume.id}/backup/", {"name": "bk"}, HTTP_HX_REQUEST="true")
    backup = Backup.objects.get(name="bk")
    assert backup.status == "available", backup.fail_reason
    assert demo_client.get("/dashboard/project/snapshots/").status_code == 200
    page = demo_client.get("/dashboard/project/backups/")
    assert page.status_code == 200 and b"bk" in page.content
    with volume_cloud["run"]():
        restored = demo_client.post(f"/dashboard/project/backups/{backup.id}/restore/", {"name": "back"},
                                    HTTP_HX_REQUEST="true")
    assert restored.status_code == 204 and Volume.objects.get(name="back").status == "available"
    too_big = demo_client.post(f"/dashboard/project/volumes/{volume.id}/extend/", {"new_size": 5000},
                               HTTP_HX_REQUEST="true")
    assert too_big.status_code == 200 and b"Quota exceeded" in too_big.content


def test_admin_types_and_pools(client, volume_cloud, django_assert_max_num_queries):
    login(client, "admin", "adminpw")
    created = client.post("/dashboard/admin/volume_types/create/", {
        "name": "fast", "is_public": "on", "extra_specs": "volume_backend_name=fake\ndisk=ssd"}, HTTP_HX_REQUEST="true")
    assert created.status_code == 204
    vtype = VolumeType.objects.get(name="fast")
    assert vtype.extra_specs == {"volume_backend_name": "fake", "disk": "ssd"}
    client.post(f"/dashboard/admin/volume_types/{vtype.id}/extra_specs/", {"extra_specs": "volume_backend_name=file"},
                HTTP_HX_REQUEST="true")
    vtype.refresh_from_db()
    assert vtype.extra_specs == {"volume_backend_name": "file"}
    bad = client.post("/dashboard/admin/volume_types/create/", {"name": "bad", "extra_specs": "nonsense"},
                      HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and not VolumeType.objects.filter(name="bad").exists()
    with django_assert_max_num_queries(20):
        types_page = client.get("/dashboard/admin/volume_types/")
    assert b"volume_backend_name=file" in types_page.content
    with django_assert_max_num_queries(20):
        pools = client.get("/dashboard/admin/storage_pools/")
    assert pools.status_code == 200 and b"testhost@fake#fake" in pools.content and b"cinder-volume" in pools.content


def test_demo_cannot_open_admin_panels(demo_client):
    assert demo_client.get("/dashboard/admin/volume_types/").status_code == 403


def test_django_admin_lists_block_storage_records(client, volume_cloud):
    from django.contrib.auth import get_user_model

    _volume(volume_cloud, "adm")
    user = get_user_model().objects.create_superuser("opadmin", "op@example.org", "pw")
    client.force_login(user)
    for path in ("volume", "volumetype", "backend", "service", "snapshot", "backup", "attachment", "message"):
        response = client.get(f"/admin/volumes/{path}/")
        assert response.status_code == 200, path
    assert b"adm" in client.get("/admin/volumes/volume/").content
