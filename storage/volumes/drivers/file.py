"""Volumes as qcow2 (or raw) files under one directory, made and changed with qemu-img.

Snapshots of qcow2 volumes are qcow2 internal snapshots (`qemu-img snapshot -c`), so a snapshot
costs nothing until the volume changes; raw volumes snapshot as sparse copies. Clones and volumes
from snapshots or images are `qemu-img convert` copies, independent of their source.
"""

import json
import os
import subprocess
from pathlib import Path

from storage.volumes.drivers.base import VolumeDriver, VolumeDriverError

GiB = 1024 ** 3


def qemu_img(*args, timeout=3600):
    try:
        result = subprocess.run(["qemu-img", *args], capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError as exc:
        raise VolumeDriverError("qemu-img is not installed") from exc
    if result.returncode != 0:
        raise VolumeDriverError(f"qemu-img {args[0]} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def image_info(path, fmt=None):
    args = ["info", "--output", "json", "-U"] + (["-f", fmt] if fmt else []) + [str(path)]
    return json.loads(qemu_img(*args))


class FileDriver(VolumeDriver):
    driver_name = "file"
    storage_protocol = "file"

    def __init__(self, backend_name, options=()):
        super().__init__(backend_name, options)
        if not self.options or not self.options[0]:
            raise VolumeDriverError("the file driver needs a directory: name=file:/some/dir")
        self.directory = Path(self.options[0])
        self.format = self.options[1] if len(self.options) > 1 and self.options[1] else "qcow2"
        if self.format not in ("qcow2", "raw"):
            raise VolumeDriverError(f"file driver format must be qcow2 or raw, not {self.format}")

    def _ensure_dir(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        # QEMU (libvirt-qemu) opens attached volumes: the directory must be traversable.
        os.chmod(self.directory, 0o755)

    def _path(self, volume_id):
        return self.directory / f"volume-{volume_id}.{self.format}"

    @staticmethod
    def _location(volume):
        location = volume.get("provider_location")
        if not location:
            raise VolumeDriverError(f"volume {volume['id']} has no file")
        return location

    def _finish(self, path, size_gb):
        os.chmod(path, 0o666)  # QEMU runs as another user; the file is this back end's to hand out
        return {"provider_location": str(path)}

    # -- stats -------------------------------------------------------------------------------
    def get_stats(self):
        self._ensure_dir()
        fs = os.statvfs(self.directory)
        total = fs.f_frsize * fs.f_blocks / GiB
        free = fs.f_frsize * fs.f_bavail / GiB
        return {"pools": [{"pool_name": self.backend_name, "total_capacity_gb": round(total, 2),
                           "free_capacity_gb": round(free, 2), "reserved_percentage": 0,
                           "thin_provisioning_support": True, "thick_provisioning_support": False,
                           "multiattach": False}],
                "capabilities": {**self.capabilities(), "volume_format": self.format}}

    # -- volumes -----------------------------------------------------------------------------
    def create_volume(self, volume):
        self._ensure_dir()
        path = self._path(volume["id"])
        qemu_img("create", "-q", "-f", self.format, str(path), f"{int(volume['size'])}G")
        return self._finish(path, volume["size"])

    def _convert_in(self, source_args, volume):
        self._ensure_dir()
        path = self._path(volume["id"])
        tmp = path.with_suffix(path.suffix + ".part")
        try:
            qemu_img("convert", "-U", *source_args, "-O", self.format, str(tmp))
            virtual = image_info(tmp, self.format)["virtual-size"]
            wanted = int(volume["size"]) * GiB
            if virtual > wanted:
                raise VolumeDriverError(f"the source is {virtual} bytes, more than the volume's {volume['size']} GiB")
            if virtual < wanted:
                qemu_img("resize", "-q", "-f", self.format, str(tmp), str(wanted))
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return self._finish(path, volume["size"])

    def create_volume_from_image(self, volume, image_path, image_format):
        fmt = image_format if image_format in ("qcow2", "raw", "vmdk", "vdi", "vhd", "vhdx", "qed") else "raw"
        if fmt == "vhd":
            fmt = "vpc"
        return self._convert_in(["-f", fmt, str(image_path)], volume)

    def create_volume_from_snapshot(self, volume, snapshot, source_volume):
        location = snapshot.get("provider_location") or ""
        if location.startswith("internal:"):
            return self._convert_in(["-f", "qcow2", "-l", f"snapshot.name={location[9:]}",
                                     self._location(source_volume)], volume)
        return self._convert_in(["-f", self.format, location], volume)

    def create_cloned_volume(self, volume, source_volume):
        return self._convert_in(["-f", self.format, self._location(source_volume)], volume)

    def delete_volume(self, volume):
        location = volume.get("provider_location")
        if location:
            Path(location).unlink(missing_ok=True)
        else:  # never finished creating: remove what a half-done create may have left
            self._path(volume["id"]).unlink(missing_ok=True)

    def extend_volume(self, volume, new_size):
        qemu_img("resize", "-q", "-f", self.format, self._location(volume), f"{int(new_size)}G")

    # -- snapshots ---------------------------------------------------------------------------
    def create_snapshot(self, snapshot, volume):
        name = f"snapshot-{snapshot['id']}"
        if self.format == "qcow2":
            qemu_img("snapshot", "-c", name, self._location(volume))
            return {"provider_location": f"internal:{name}"}
        target = self.directory / f"{name}.raw"
        qemu_img("convert", "-U", "-f", "raw", "-O", "raw", self._location(volume), str(target))  # sparse copy
        return {"provider_location": str(target)}

    def delete_snapshot(self, snapshot, volume):
        location = snapshot.get("provider_location") or ""
        if location.startswith("internal:"):
            path = self._location(volume)
            if os.path.exists(path):
                names = {s.get("name") for s in image_info(path, "qcow2").get("snapshots", [])}
                if location[9:] in names:
                    qemu_img("snapshot", "-d", location[9:], path)
        elif location:
            Path(location).unlink(missing_ok=True)

    # -- attach ------------------------------------------------------------------------------
    def initialize_connection(self, volume, connector):
        return {"driver_volume_type": "file",
                "data": {"path": self._location(volume), "format": self.format, "volume_id": volume["id"],
                         "access_mode": "rw"}}

    # -- data in and out ---------------------------------------------------------------------
    def export_raw(self, volume, path, snapshot=None):
        args = ["convert", "-U", "-f", self.format]
        location = (snapshot or {}).get("provider_location") or ""
        if location.startswith("internal:"):
            args += ["-l", f"snapshot.name={location[9:]}", self._location(volume)]
        elif location:
            args += [location]
        else:
            args += [self._location(volume)]
        qemu_img(*args, "-O", "raw", str(path))

    def import_raw(self, path, volume):
        qemu_img("convert", "-n", "-f", "raw", "-O", self.format, str(path), self._location(volume))
