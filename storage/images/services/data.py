"""Image data: streamed upload into the store (hashes and size computed on the way), download, and
what compute needs to boot or fetch an image.

An upload never holds the body in memory: chunks go from the request stream through md5 and sha512
into a staging file in the store; only a complete upload that fits the quota is committed (atomic
rename) and marks the image active. Anything else leaves no data behind.
"""

import datetime
import hashlib
import json
import logging
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction
from django.utils import timezone

from core import quotas
from core.exceptions import BadRequest, Conflict, Forbidden, NotFound, OverLimit
from core.policy import enforce
from storage.images.models import Image
from storage.images.services.images import _target, get_image, image_tags
from storage.images.stores import get_store, store_for_location
from storage.images.stores.base import StoreFull

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
# Disk headers (qcow2: size, backing file) sit in the first cluster: qemu-img reads them from this much
# of the data when the store keeps no local file to inspect.
HEAD_BYTES = 1024 * 1024
QEMU_IMG_TIMEOUT = 60
# Formats whose virtual size qemu-img reads from the header (raw: the size itself).
INSPECTED_FORMATS = {"qcow2", "vmdk", "vdi", "vhd", "vhdx"}


class UploadFailed(BadRequest):
    """The body did not arrive whole (client gone, short body, broken chunking)."""


class QuotaExceeded(OverLimit):
    # Glance answers a storage quota overrun with 413.
    status = 413
    title = "Request Entity Too Large"


def _raw_chunks(stream, chunk_size):
    if hasattr(stream, "read"):
        while True:
            chunk = stream.read(chunk_size)
            if not chunk:
                return
            yield chunk
    else:
        for chunk in stream:
            if chunk:
                yield chunk


def _chunks(stream, hashers, chunk_size, head=None):
    """The stream's chunks, each hashed by every hasher in its own thread while the caller writes it.

    hashlib releases the GIL on large buffers, so md5, sha512, the socket read and the file write of
    neighbouring chunks overlap instead of adding up. Each hasher still sees the chunks in order.
    """
    with ThreadPoolExecutor(max_workers=len(hashers), thread_name_prefix="image-hash") as pool:
        pending = []
        for chunk in _raw_chunks(stream, chunk_size):
            if head is not None and len(head) < HEAD_BYTES:
                head += chunk[:HEAD_BYTES - len(head)]
            for future in pending:
                future.result()
            pending = [pool.submit(hasher.update, chunk) for hasher in hashers]
            yield chunk
        for future in pending:
            future.result()


def inspect_disk(path, disk_format):
    """(virtual_size, problem) from `qemu-img info`; problem is a reason to refuse the data."""
    if disk_format not in INSPECTED_FORMATS:
        return None, None
    try:
        result = subprocess.run(["qemu-img", "info", "--output=json", "-f", disk_format, path],
                                capture_output=True, text=True, timeout=QEMU_IMG_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("qemu-img info failed on %s: %s", path, error)
        return None, None
    if result.returncode != 0:
        return None, f"Image data is not a valid {disk_format} image: {result.stderr.strip()[:200]}"
    info = json.loads(result.stdout)
    if info.get("backing-filename") or info.get("full-backing-filename"):
        # A backing file would let a guest read files of the host that boots it.
        return None, "QCOW images with backing files are not allowed."
    if info.get("format-specific", {}).get("data", {}).get("data-file"):
        return None, "QCOW images with data-file set are not allowed."
    return info.get("virtual-size"), None


def _remaining_quota(owner):
    if not owner:
        return None
    limit = quotas.limits(owner, "image")["image_storage"]
    if limit == quotas.UNLIMITED:
        return None
    return max(limit - quotas.usage(owner, "image")["image_storage"], 0)


def _reset_status(image_id, status):
    with transaction.atomic():
        Image.objects.filter(pk=image_id, status="saving").update(status=status)


def upload_image_data(ctx, image_id, stream, expected_size=None, chunk_size=CHUNK_SIZE):
    """Stream data (a file-like object or an iterable of bytes) into a queued image; returns the image.

    expected_size (Content-Length, X-OpenStack-Image-Size) lets a too-large upload be refused before
    any byte is read, and a short body be recognised as an interrupted upload.
    """
    with transaction.atomic():
        image = get_image(ctx, image_id, for_update=True)
        enforce(ctx, "image:upload_image", _target(image))
        if image.status == "deactivated":
            raise Forbidden("Image is deactivated: uploading data is not allowed.")
        if image.status != "queued":
            raise Conflict(f"Image status transition from {image.status} to saving is not allowed")
        if not image.disk_format or not image.container_format:
            raise BadRequest("Properties disk_format, container_format must be set prior to saving data.")
        remaining = _remaining_quota(image.owner)
        if expected_size is not None and remaining is not None and expected_size > remaining:
            raise QuotaExceeded(f"Denying attempt to upload image because it exceeds the quota: "
                                f"{expected_size} bytes requested, {remaining} bytes left of image_storage.")
        image.status = "saving"
        image.save(update_fields=["status", "updated_at"])
    image_id, disk_format, owner = image.id, image.disk_format, image.owner

    store = get_store()
    md5, sha512 = hashlib.md5(usedforsecurity=False), hashlib.sha512()
    head = bytearray()
    try:
        staged = store.stage(image_id, _chunks(stream, (md5, sha512), chunk_size, head), max_size=remaining)
    except StoreFull:
        _reset_status(image_id, "queued")
        raise QuotaExceeded(f"Denying attempt to upload image because it exceeds the quota of "
                            f"image_storage ({remaining} bytes left).") from None
    except BaseException as error:
        # The client went away or the stream broke: what arrived is gone, the image is killed.
        _reset_status(image_id, "killed")
        if isinstance(error, (OSError, ValueError)) or type(error).__name__ in ("NoMoreData", "ChunkMissingTerminator",
                                                                                 "InvalidChunkSize", "UnreaderError"):
            raise UploadFailed(f"Error reading image data: {error}") from error
        raise

    committed_location = None
    try:
        if expected_size is not None and staged.size != expected_size:
            _reset_status(image_id, "killed")
            raise UploadFailed(f"Upload interrupted: received {staged.size} of {expected_size} bytes.")
        virtual_size, problem = None, None
        path = store.staged_path(staged)
        if disk_format == "raw":
            virtual_size = staged.size
        elif path:
            virtual_size, problem = inspect_disk(path, disk_format)
        elif disk_format in INSPECTED_FORMATS:
            with tempfile.NamedTemporaryFile(prefix="image-head-") as sample:
                sample.write(head)
                sample.flush()
                virtual_size, problem = inspect_disk(sample.name, disk_format)
        if problem:
            _reset_status(image_id, "queued")
            raise BadRequest(problem)
        with transaction.atomic():
            image = Image.objects.select_for_update().filter(pk=image_id).first()
            if image is None or image.status != "saving":
                raise Conflict(f"Image {image_id} could not be found after upload. "
                               "The image may have been deleted during the upload.")
            with quotas.reserve(owner or "", image_storage=staged.size) if owner else transaction.atomic():
                committed_location = store.commit(staged)
                image.status = "active"
                image.size = staged.size
                image.virtual_size = virtual_size
                image.checksum = md5.hexdigest()
                image.os_hash_algo = "sha512"
                image.os_hash_value = sha512.hexdigest()
                image.location = committed_location
                image.save()
    except BaseException as error:
        if committed_location:
            store.delete(committed_location)
        else:
            store.discard(staged)
        if isinstance(error, OverLimit):
            _reset_status(image_id, "queued")
            raise QuotaExceeded(error.message) from None
        _reset_status(image_id, "killed")
        raise
    return get_image(ctx, image_id)


def reap_stale_uploads(ctx, idle_seconds=600):
    """After a server process died mid-upload: images stuck in `saving` whose staging data has not grown
    for idle_seconds become `killed`, and staging files nobody writes to any more are removed.
    Returns (images killed, files removed). Run by the bootstrap; safe while uploads are running."""
    import time

    enforce(ctx, "image:reap_uploads")
    store = get_store()
    now = time.time()
    staging = getattr(store, "orphans", lambda: [])()
    fresh = {path.name.split("-", 1)[1][:36] for path in staging if now - path.stat().st_mtime < idle_seconds}
    removed = 0
    for path in staging:
        try:
            if now - path.stat().st_mtime >= idle_seconds:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    cutoff = timezone.now() - datetime.timedelta(seconds=idle_seconds)
    stuck = list(Image.objects.filter(status="saving", updated_at__lt=cutoff).exclude(id__in=fresh)
                 .values_list("id", flat=True))
    killed = Image.objects.filter(id__in=stuck, status="saving").update(status="killed", updated_at=timezone.now())
    for image_id in stuck:
        # A process that died between the store's commit and the database's leaves the data under the
        # image's key with no image pointing at it.
        store.delete(f"{store.name}:{image_id}")
    return killed, removed


def download_image(ctx, image_id):
    """(image, binary file object or None when the image has no data yet) for GET .../file."""
    image = get_image(ctx, image_id)
    enforce(ctx, "image:download_image", _target(image))
    if image.status == "deactivated" and not ctx.is_admin:
        raise Forbidden("The requested image has been deactivated. Image data download is prohibited.")
    if not image.location:
        return image, None
    try:
        return image, store_for_location(image.location).open(image.location)
    except FileNotFoundError:
        raise NotFound(f"Image data of {image.id} is missing from the store.") from None


def open_image_data(ctx, image_id):
    """A binary file object of an active image's data (compute hosts fetch base images with it)."""
    image, handle = download_image(ctx, image_id)
    if handle is None:
        raise BadRequest(f"Image {image.id} has no data (status {image.status}).")
    return handle


def image_for_boot(ctx, image_id):
    """What compute needs to boot from an image; BadRequest unless the image is active."""
    image = get_image(ctx, image_id)
    if image.status != "active":
        raise BadRequest(f"Image {image.id} is not active (status {image.status}).")
    return {
        "id": image.id, "name": image.name, "status": image.status, "disk_format": image.disk_format,
        "container_format": image.container_format, "size": image.size, "virtual_size": image.virtual_size,
        "checksum": image.checksum, "os_hash_algo": image.os_hash_algo, "os_hash_value": image.os_hash_value,
        "min_disk": image.min_disk, "min_ram": image.min_ram, "owner": image.owner,
        "visibility": image.visibility, "tags": image_tags(image), "properties": dict(image.properties),
    }
