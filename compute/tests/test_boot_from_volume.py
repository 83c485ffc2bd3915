"""Boot from volume (block_device_mapping_v2 with destination_type volume) in one process: the API's
checks, the conductor creating/reserving the root volume, the fake host booting from its connection info,
the volume in-use and listed on the server, and what a delete leaves behind."""

import pytest

from compute import services
from compute.drivers import fake as fake_compute
from compute.models import Instance
from compute.services import states
from compute.services import volumes as compute_volumes
from compute.tests.test_api import V
from core.exceptions import BadRequest, NotFound
from storage.volumes.models import Attachment, Volume
from storage.volumes.services import volumes
from storage.volumes.tests.conftest import volume_cloud  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud(compute_cloud, volume_cloud):  # noqa: F811
    return {**compute_cloud, "dir": volume_cloud["dir"]}


def _volume(cloud, ctx=None, **kwargs):
    kwargs.setdefault("size", 1)
    with cloud["run"]():
        volume = volumes.create_volume(ctx or cloud["demo"], name="boot", **kwargs)
    volume.refresh_from_db()
    assert volume.status == "available"
    return volume


def _boot(cloud, bdm, name="bfv", image_ref="", **kwargs):
    with cloud["run"]():
        [vm], _ = services.create_server(cloud["demo"], name=name, flavor_ref="1", image_ref=image_ref,
                                         networks=[{"uuid": cloud["network"]}], block_device_mapping=bdm, **kwargs)
    return Instance.objects.get(id=vm.id)


def _delete(cloud, vm):
    with cloud["run"]():
        services.delete_server(cloud["demo"], vm.id)
    assert Instance.objects.get(id=vm.id).deleted


def test_boot_from_an_existing_volume(cloud):
    volume = _volume(cloud, image_id=cloud["image"])
    vm = _boot(cloud, [{"boot_index": 0, "uuid": volume.id, "source_type": "volume", "destination_type": "volume"}])
    assert (vm.vm_state, vm.task_state) == (states.ACTIVE, None)
    assert vm.image_ref == "" and vm.image_info["id"] == cloud["image"]  # the volume's image, for the boot
    guest = fake_compute._guests[vm.host][vm.id]
    assert guest["disks"]["vda"]["path"] == volume.provider_location
    [root] = guest["block_device_info"]["block_device_mapping"]
    assert root["volume_id"] == volume.id and root["connection_info"]["driver_volume_type"] == "file"
    assert f"from volume {volume.id}" in vm.console_log
    volume.refresh_from_db()
    assert volume.status == "in-use"
    attachment = Attachment.objects.get(volume=volume)
    assert (attachment.status, attachment.instance_uuid, attachment.mountpoint) == ("attached", vm.id, "/dev/vda")
    [annotated] = compute_volumes.annotate([vm])
    assert annotated.volumes_attached == [{"id": volume.id, "delete_on_termination": False}]
    with pytest.raises(BadRequest, match="root device"):
        compute_volumes.detach_volume(cloud["demo"], vm.id, volume.id)
    with pytest.raises(BadRequest, match="volume-backed"):
        services.rebuild(cloud["demo"], vm.id, cloud["image"])
    with pytest.raises(BadRequest, match="volume-backed"):
        services.create_image(cloud["demo"], vm.id, "snap")
    assert Instance.objects.get(id=vm.id).task_state is None
    # A second boot from the same volume is refused while it is in use.
    with pytest.raises(BadRequest, match="status must be 'available'"):
        _boot(cloud, [{"boot_index": 0, "uuid": volume.id, "source_type": "volume", "destination_type": "volume"}])

    _delete(cloud, vm)
    volume.refresh_from_db()
    assert volume.status == "available" and not Attachment.objects.filter(volume=volume).exists()


def test_boot_from_an_image_made_volume_with_delete_on_termination(cloud):
    before = set(Volume.objects.values_list("id", flat=True))
    vm = _boot(cloud, [{"boot_index": "0", "uuid": cloud["image"], "source_type": "image",
                        "destination_type": "volume", "volume_size": 1, "delete_on_termination": True}])
    assert vm.vm_state == states.ACTIVE, vm.faults.values_list("message", flat=True)
    [made] = Volume.objects.exclude(id__in=before)
    assert (made.status, made.size, made.bootable, made.image_id) == ("in-use", 1, True, cloud["image"])
    assert made.project_id == cloud["demo"].project_id
    assert fake_compute._guests[vm.host][vm.id]["disks"]["vda"]["path"] == made.provider_location
    [annotated] = compute_volumes.annotate([vm])
    assert annotated.volumes_attached == [{"id": made.id, "delete_on_termination": True}]

    _delete(cloud, vm)
    assert not Volume.objects.filter(id=made.id).exists()  # the file back end deleted it


def test_image_made_volume_that_fails_puts_the_server_in_error(cloud):
    from storage.volumes.models import Backend

    volumes_before = set(Volume.objects.values_list("id", flat=True))
    # No back end has room: the volume scheduler puts the new volume in error.
    Backend.objects.update(free_capacity_gb=0, total_capacity_gb=0)
    vm = _boot(cloud, [{"boot_index": 0, "uuid": cloud["image"], "source_type": "image", "destination_type": "volume",
                        "volume_size": 1}])
    assert vm.vm_state == states.ERROR and vm.host is None
    fault = vm.faults.order_by("-created_at").first()
    [made] = Volume.objects.exclude(id__in=volumes_before)
    assert made.status == "error"
    assert f"Volume {made.id} did not finish being created" in fault.message, fault.message
    _delete(cloud, vm)


def test_api_checks_and_bodies(api, cloud, demo_token):
    other = _volume(cloud, ctx=cloud["admin"])  # another project's volume
    mine = _volume(cloud)
    base = {"name": "vm", "flavorRef": "1", "imageRef": "", "networks": [{"uuid": cloud["network"]}]}

    def post(bdm, **extra):
        return api.post(f"{V}/servers", {"server": {**base, "block_device_mapping_v2": bdm, **extra}},
                        token=demo_token)

    def bdm(**kw):
        return [{"boot_index": 0, "source_type": "volume", "destination_type": "volume", **kw}]

    for bad, words in [(bdm(uuid=other.id), "failed to get volume"),
                       (bdm(uuid="00000000-0000-0000-0000-000000000000"), "failed to get volume"),
                       (bdm(uuid="nope"), "failed to get volume"),
                       (bdm(source_type="image", uuid=cloud["image"]), "non-zero size"),
                       (bdm(source_type="image", uuid=cloud["image"], volume_size="x"), "volume_size"),
                       (bdm(source_type="image", uuid="00000000-0000-0000-0000-000000000000", volume_size=1),
                        "could not be found"),
                       (bdm(source_type="snapshot", uuid=mine.id), "not supported"),
                       (bdm(uuid=mine.id, delete_on_termination="maybe"), "delete_on_termination"),
                       ("not-a-list", "block_device_mapping_v2"), ([1], "block_device_mapping_v2")]:
        response = post(bad)
        assert response.status_code == 400, (bad, response.content)
        assert words in response.json()["badRequest"]["message"], (bad, response.json())
    many = post(bdm(uuid=mine.id), min_count=2)
    assert many.status_code == 400 and "multiple instances" in many.json()["badRequest"]["message"]
    assert not Instance.objects.exists()

    created = post(bdm(uuid=mine.id, delete_on_termination=True))
    assert created.status_code == 202, created.content
    server_id = created.json()["server"]["id"]
    shown = api.get(f"{V}/servers/{server_id}", token=demo_token).json()["server"]
    assert shown["image"] == "" and shown["status"] == "BUILD"
    spec = Instance.objects.get(id=server_id).request_spec["block_devices"]
    assert spec == [{"boot_index": 0, "destination_type": "volume", "source_type": "volume", "uuid": mine.id,
                     "volume_id": mine.id, "volume_size": 1, "delete_on_termination": True,
                     "device_name": "/dev/vda"}]


def test_deleted_volume_before_the_build_ends_in_error(cloud):
    volume = _volume(cloud)

    with cloud["run"]():
        [vm], _ = services.create_server(cloud["demo"], name="gone", flavor_ref="1", image_ref="",
                                         networks=[{"uuid": cloud["network"]}],
                                         block_device_mapping=[{"boot_index": 0, "uuid": volume.id,
                                                                "source_type": "volume",
                                                                "destination_type": "volume"}])
        # The volume is taken by someone else between the API's check and the build.
        from storage.volumes.services import attachments

        attachments.reserve(cloud["demo"], volume.id)
    vm = Instance.objects.get(id=vm.id)
    assert vm.vm_state == states.ERROR
    assert "status must be 'available'" in vm.faults.first().message
    with pytest.raises(NotFound):
        compute_volumes.get_attachment(cloud["demo"], vm.id, volume.id)
