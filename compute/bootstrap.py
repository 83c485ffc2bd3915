"""First-run compute state: the default flavors and this machine's compute host record."""

from django.conf import settings

from compute.models import Flavor
from compute.services import hosts

# Nova's classic m1 set, with a nano and micro for small test images.
DEFAULT_FLAVORS = (
    ("1", "m1.nano", 1, 128, 1),
    ("2", "m1.micro", 1, 256, 1),
    ("3", "m1.tiny", 1, 512, 1),
    ("4", "m1.small", 1, 2048, 20),
    ("5", "m1.medium", 2, 4096, 40),
    ("6", "m1.large", 4, 8192, 80),
    ("7", "m1.xlarge", 8, 16384, 160),
)


def run(ctx, result):
    existing = set(Flavor.objects.values_list("name", flat=True)) | set(Flavor.objects.values_list("flavorid",
                                                                                                   flat=True))
    Flavor.objects.bulk_create([
        Flavor(flavorid=flavorid, name=name, vcpus=vcpus, memory_mb=ram, root_gb=disk, is_public=True)
        for flavorid, name, vcpus, ram, disk in DEFAULT_FLAVORS if name not in existing and flavorid not in existing])
    # The host shows up (down) at once; its worker's first heartbeat brings it up with its real capacity.
    for host in [h.strip() for h in settings.COMPUTE_HOST.split(",") if h.strip()]:
        hosts.register_host(host)
    result.setdefault("flavors", [f[1] for f in DEFAULT_FLAVORS])
