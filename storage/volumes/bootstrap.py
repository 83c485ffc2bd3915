"""First-run state of block storage: the default volume type and this host's configured back ends."""

from pathlib import Path

from storage.volumes import conf
from storage.volumes.models import VolumeType


def run(ctx, result):
    _, created = VolumeType.objects.get_or_create(
        name=conf.default_type(), defaults={"description": "Default Volume Type", "is_public": True})
    # The back ends' rows appear with their workers' first reports; here only their directories.
    for spec in conf.backends().values():
        if spec["driver"] == "file" and spec["options"]:
            Path(spec["options"][0]).mkdir(parents=True, exist_ok=True)
    result["volume_default_type"] = conf.default_type()
    if created:
        result["volume_backends"] = sorted(conf.backends())
