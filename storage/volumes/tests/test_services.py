import pytest

from core.exceptions import BadRequest, NotFound, OverLimit
from storage.volumes.models import Backend, Message, Volume
from storage.volumes.services import snapshots, types, volumes
from storage.volumes.services.worker import reap_stuck


def _make(cloud, **kw):
    with cloud["run"]():
        volume = volumes.create_volume(cloud["demo"], **kw)
    volume.refresh_from_db()
    return volume


@pytest.mark.django_db
def test_create_goes_available_on_a_backend_and_claims_capacity(volume_cloud):
    volume = _make(volume_cloud, size=1, name="v1")
    assert volume.status == "available", volume.status_reason
    assert volume.host.startswith("testhost@")
    backend = Backend.objects.get(pk=volume.backend_id)
    assert backend.allocated_capacity_gb == 1


@pytest.mark.django_db
def test_type_extra_specs_steer_to_the_named_backend(volume_cloud):
    for name in ("file", "fake"):
        vtype = types.create_type(volume_cloud["admin"], f"t-{name}", extra_specs={"volume_backend_name": name})
        volume = _make(volume_cloud, size=1, volume_type=vtype.id)
        assert volume.host == f"testhost@{name}#{name}"
    vtype = types.create_type(volume_cloud["admin"], "t-none", extra_specs={"volume_backend_name": "nowhere"})
    volume = _make(volume_cloud, size=1, volume_type=vtype.name)
    assert volume.status == "error"
    assert "CapabilitiesFilter" in volume.status_reason
    assert Message.objects.filter(resource_uuid=volume.id).exists()


@pytest.mark.django_db
def test_file_volume_is_a_qcow2_of_the_size(volume_cloud):
    from storage.volumes.drivers.file import image_info

    vtype = types.create_type(volume_cloud["admin"], "t-file", extra_specs={"volume_backend_name": "file"})
    volume = _make(volume_cloud, size=2, volume_type=vtype.id)
    info = image_info(volume.provider_location)
    assert info["format"] == "qcow2" and info["virtual-size"] == 2 * 1024 ** 3
    with volume_cloud["run"]():
        volumes.extend_volume(volume_cloud["demo"], volume.id, 3)
    volume.refresh_from_db()
    assert volume.status == "available" and volume.size == 3
    assert image_info(volume.provider_location)["virtual-size"] == 3 * 1024 ** 3
    with volume_cloud["run"]():
        volumes.delete_volume(volume_cloud["demo"], volume.id)
    assert not Volume.objects.filter(pk=volume.id).exists()
    assert Backend.objects.get(name="testhost@file#file").allocated_capacity_gb == 0


@pytest.mark.django_db
def test_quota_refuses_and_writes_nothing(volume_cloud):
    from core import quotas

    quotas.set_limits(volume_cloud["demo"].project_id, {"gigabytes": 3})
    with pytest.raises(OverLimit):
        volumes.create_volume(volume_cloud["demo"], size=4)
    assert not Volume.objects.exists()


@pytest.mark.django_db
def test_bad_sizes_and_foreign_volumes(volume_cloud):
    for size in (0, -1, "x", 1.5, True, None):
        with pytest.raises(BadRequest):
            volumes.create_volume(volume_cloud["demo"], size=size)
    volume = _make(volume_cloud, size=1)
    with pytest.raises(NotFound):
        volumes.get_volume(volume_cloud["admin"].__class__(project_id="other", roles=("member",)), volume.id)


@pytest.mark.django_db
def test_snapshot_then_volume_from_it_then_delete_order(volume_cloud):
    vtype = types.create_type(volume_cloud["admin"], "t-file", extra_specs={"volume_backend_name": "file"})
    volume = _make(volume_cloud, size=1, volume_type=vtype.id)
    with volume_cloud["run"]():
        snap = snapshots.create_snapshot(volume_cloud["demo"], volume.id, name="s1")
    snap.refresh_from_db()
    assert snap.status == "available" and snap.provider_location.startswith("internal:")
    clone = _make(volume_cloud, snapshot_id=snap.id)
    assert clone.status == "available" and clone.host == volume.host and clone.size == 1
    with pytest.raises(BadRequest):
        volumes.delete_volume(volume_cloud["demo"], volume.id)  # has snapshots
    with volume_cloud["run"]():
        snapshots.delete_snapshot(volume_cloud["demo"], snap.id)
    with volume_cloud["run"]():
        volumes.delete_volume(volume_cloud["demo"], volume.id)
    assert not Volume.objects.filter(pk=volume.id).exists()


@pytest.mark.django_db
def test_dead_backend_worker_leaves_error_after_timeout(volume_cloud, settings):
    from django.utils import timezone

    from core.context import RequestContext

    # No eager run: the create message goes nowhere, as if the worker died after the scheduler placed it.
    volume = volumes.create_volume(volume_cloud["demo"], size=1)
    from storage.volumes import messaging
    from storage.volumes.services.placement import schedule_create

    sent = []
    original = messaging.send
    messaging.send = lambda name, args, queue: sent.append(name)
    try:
        schedule_create(volume.id)
    finally:
        messaging.send = original
    volume.refresh_from_db()
    assert volume.status == "creating" and volume.host and sent == ["storage.volumes.volume.create_volume"]
    assert reap_stuck() == []
    settings.VOLUME_CREATE_TIMEOUT = 5
    failed = reap_stuck(now=timezone.now() + timezone.timedelta(seconds=10))
    volume.refresh_from_db()
    assert failed == [volume.id] and volume.status == "error"
    assert "Timed out" in volume.status_reason and volume.host in volume.status_reason
    assert RequestContext  # noqa


@pytest.mark.django_db
def test_upload_to_image_gives_the_volume_bytes(volume_cloud, settings, tmp_path):
    from storage.images.models import Image
    from storage.images.services.data import open_image_data
    from storage.volumes.drivers.file import FileDriver

    settings.IMAGE_STORE_DIR = tmp_path / "images"
    vtype = types.create_type(volume_cloud["admin"], "t-file", extra_specs={"volume_backend_name": "file"})
    volume = _make(volume_cloud, size=1, volume_type=vtype.id)
    driver = FileDriver("file", [str(volume_cloud["dir"])])
    raw = tmp_path / "v.raw"
    driver.export_raw({"id": volume.id, "provider_location": volume.provider_location}, raw)
    with open(raw, "r+b") as handle:
        handle.write(b"volume-to-image" * 100)
    driver.import_raw(raw, {"id": volume.id, "provider_location": volume.provider_location})
    with pytest.raises(BadRequest):
        volumes.upload_to_image(volume_cloud["demo"], volume.id, "img", disk_format="vmdk")
    with volume_cloud["run"]():
        _, image = volumes.upload_to_image(volume_cloud["demo"], volume.id, "from-volume")
    volume.refresh_from_db()
    image = Image.objects.get(pk=image.id)
    assert volume.status == "available" and image.status == "active" and image.size == 1024 ** 3
    with open_image_data(volume_cloud["demo"], image.id) as handle:
        assert handle.read(1500) == b"volume-to-image" * 100


@pytest.mark.django_db
def test_bootstrap_is_idempotent(volume_cloud):
    from core.context import RequestContext
    from storage.volumes import bootstrap
    from storage.volumes.models import VolumeType

    result = {}
    bootstrap.run(RequestContext.internal(), result)
    bootstrap.run(RequestContext.internal(), result)
    assert VolumeType.objects.filter(name="__DEFAULT__").count() == 1
    assert result["volume_default_type"] == "__DEFAULT__"
    assert volume_cloud["dir"].is_dir()
