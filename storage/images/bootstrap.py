"""First-run state of the image service: the public cirros-nebula image (kernel, ramdisk, root disk).

Called by `manage.py bootstrap` after the identity bootstrap. Idempotent and fast on re-runs: the
build is cached (bootable.builder), and an image already registered with the same name and checksum is
left alone. Without network for apt the cloud still comes up, only without the image.
"""

import logging
import sys

from storage.images import services
from storage.images.bootable import builder
from storage.images.models import Image

log = logging.getLogger(__name__)

IMAGE_NAME = "cirros-nebula"


def _say(message):
    print(f"images: {message}", file=sys.stderr if message.startswith("WARNING") else sys.stdout, flush=True)


def _admin_project_id():
    from identity.models import Project

    project = Project.objects.filter(name="admin", domain_id="default").first()
    return project.id if project else None


def _register(ctx, name, path, checksum, disk_format, container_format, owner, **properties):
    existing = Image.objects.filter(name=name, checksum=checksum, status="active").first()
    if existing:
        return existing.id, False
    image = services.create_image(ctx, name=name, disk_format=disk_format, container_format=container_format,
                                  visibility="public", owner=owner, **properties)
    with open(path, "rb") as handle:
        services.upload_image_data(ctx, image.id, handle, expected_size=path.stat().st_size)
    return image.id, True


def register(ctx, artefacts):
    """Register the three images of a build; returns the root disk image id."""
    owner = _admin_project_id()
    checksums = artefacts.checksums
    existing = Image.objects.filter(name=IMAGE_NAME, checksum=checksums["disk.qcow2"], status="active").first()
    if existing:
        return existing.id, False
    kernel_id, _ = _register(ctx, f"{IMAGE_NAME}-kernel", artefacts.kernel, checksums["vmlinuz"], "aki", "aki",
                             owner)
    ramdisk_id, _ = _register(ctx, f"{IMAGE_NAME}-ramdisk", artefacts.ramdisk, checksums["initrd.img"], "ari",
                              "ari", owner)
    disk_id, created = _register(
        ctx, IMAGE_NAME, artefacts.disk, checksums["disk.qcow2"], "qcow2", "bare", owner,
        kernel_id=kernel_id, ramdisk_id=ramdisk_id, os_distro="cirros-nebula", architecture="x86_64",
        os_command_line="console=ttyS0 panic=-1 quiet", hw_serial_port_count="1",
        os_version=artefacts.kernel_version)
    return disk_id, created


def run(ctx, result):
    killed, removed = services.reap_stale_uploads(ctx)
    if killed or removed:
        _say(f"{killed} interrupted upload(s) marked killed, {removed} leftover staging file(s) removed")
    try:
        artefacts = builder.build()
    except builder.BuildUnavailable as error:
        _say(f"WARNING: the bootable image {IMAGE_NAME} was not built ({error}); "
             "the cloud starts without it. Re-run `manage.py bootstrap` once apt can reach Debian's mirrors.")
        result["images"] = {}
        return
    image_id, created = register(ctx, artefacts)
    _say(f"{'registered' if created else 'found'} image {IMAGE_NAME} ({image_id}), kernel {artefacts.kernel_version}")
    result["images"] = {IMAGE_NAME: image_id}
