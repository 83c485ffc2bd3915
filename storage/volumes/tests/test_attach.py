"""Attach between compute and block storage in one process: os-volume_attachments -> attachment reserved
with connection info -> fake compute host attaches the disk -> conductor completes -> volume in-use."""

import pytest

from compute.drivers import fake as fake_compute
from compute.tests.conftest import compute_cloud, fake_hosts_reset  # noqa: F401  (fixtures)
from compute.tests.test_boot_flow import boot
from core.exceptions import BadRequest, NotFound
from storage.volumes.models import Attachment, Volume
from storage.volumes.services import volumes

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud(compute_cloud, volume_cloud):  # noqa: F811
    return {**compute_cloud, "dir": volume_cloud["dir"]}


def _volume(cloud):
    with cloud["run"]():
        volume = volumes.create_volume(cloud["demo"], size=1, name="data")
    volume.refresh_from_db()
    assert volume.status == "available"
    return volume


def test_attach_detach_through_compute(cloud):
    from compute.services import volumes as compute_volumes

    [vm] = boot(cloud)
    volume = _volume(cloud)
    with cloud["run"]():
        body = compute_volumes.attach_volume(cloud["demo"], vm.id, volume.id)
    assert body["volumeId"] == volume.id and body["device"] == "/dev/vdc"
    volume.refresh_from_db()
    assert volume.status == "in-use"
    attachment = Attachment.objects.get(volume=volume)
    assert attachment.status == "attached" and attachment.instance_uuid == vm.id
    disk = fake_compute._guests[vm.host][vm.id]["disks"]["vdc"]
    assert disk["path"] == volume.provider_location or volume.provider_location.startswith("fake:")
    [annotated] = compute_volumes.annotate([vm])
    assert annotated.volumes_attached == [{"id": volume.id, "delete_on_termination": False}]

    with pytest.raises(BadRequest):
        volumes.delete_volume(cloud["demo"], volume.id)  # attached: refused, as Cinder does

    with cloud["run"]():
        compute_volumes.detach_volume(cloud["demo"], vm.id, volume.id)
    volume.refresh_from_db()
    assert volume.status == "available" and not Attachment.objects.filter(volume=volume).exists()
    assert "vdc" not in fake_compute._guests[vm.host][vm.id]["disks"]
    with pytest.raises(NotFound):
        compute_volumes.detach_volume(cloud["demo"], vm.id, volume.id)


def test_failed_host_attach_frees_the_volume(cloud, settings):
    from compute.services import volumes as compute_volumes

    [vm] = boot(cloud)
    volume = _volume(cloud)
    settings.FAKE_COMPUTE_FAIL = ["attach_disk"]
    from compute import manager

    manager._drivers.clear()
    with cloud["run"]():
        compute_volumes.attach_volume(cloud["demo"], vm.id, volume.id)
    volume.refresh_from_db()
    assert volume.status == "available" and not Attachment.objects.exists()
    assert Volume.objects.filter(pk=volume.id).exists()


def test_deleting_the_server_frees_its_volumes(cloud):
    from compute import services as compute_services
    from compute.services import volumes as compute_volumes

    [vm] = boot(cloud)
    volume = _volume(cloud)
    with cloud["run"]():
        compute_volumes.attach_volume(cloud["demo"], vm.id, volume.id)
    volume.refresh_from_db()
    assert volume.status == "in-use"
    with cloud["run"]():
        compute_services.delete_server(cloud["demo"], vm.id)
    volume.refresh_from_db()
    assert volume.status == "available" and not Attachment.objects.filter(volume=volume).exists()
