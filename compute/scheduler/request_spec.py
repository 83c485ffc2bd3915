"""What the conductor asks the scheduler for (Nova's RequestSpec, reduced to what filters read)."""

from collections import Counter
from dataclasses import dataclass, field

SERVER_GROUP_POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


@dataclass
class Flavor:
    vcpus: int
    memory_mb: int
    root_gb: int = 0
    ephemeral_gb: int = 0
    swap: int = 0  # MB, as Nova's flavor
    extra_specs: dict = field(default_factory=dict)
    name: str = ""
    flavorid: str = ""


@dataclass
class ServerGroup:
    """The group the new instances join, as it stands before this request.

    `hosts` holds one entry per member instance that has a host (repeats allowed: a host with two
    members appears twice), which is what max_server_per_host and the soft weighers count.
    The scheduler works on its own copy and adds each instance it places.
    """

    policy: str
    uuid: str = ""
    members: list = field(default_factory=list)
    hosts: list = field(default_factory=list)
    rules: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.policy not in SERVER_GROUP_POLICIES:
            raise ValueError(f"unknown server group policy {self.policy!r}")
        self._counts = None
        self._counted = -1

    @property
    def host_counts(self):
        """{host: members on it}; recounted when hosts were appended to since."""
        if self._counted != len(self.hosts):
            self._counts = Counter(self.hosts)
            self._counted = len(self.hosts)
        return self._counts

    def add(self, host, instance_uuid=None):
        self.hosts.append(host)
        if instance_uuid:
            self.members.append(instance_uuid)

    def copy(self):
        return ServerGroup(self.policy, self.uuid, list(self.members), list(self.hosts), dict(self.rules))


@dataclass
class RequestSpec:
    """One boot/migrate/resize request: the flavor and everything filters may look at.

    - image_properties: the image's properties (hw_architecture, img_hv_type, hw_vm_mode …).
    - availability_zone: requested zone or None for any.
    - ignore_hosts: hosts never to pick (reschedules, the source host of a migrate).
    - force_hosts / force_nodes: an admin's forced destination; filters are skipped, as Nova does.
    - requested_host / requested_node: a wanted destination that must still pass the filters.
    - is_bfv: boot from volume, so the root disk takes no local disk.
    """

    flavor: Flavor
    instance_uuids: list = field(default_factory=list)
    num_instances: int = 0  # 0: len(instance_uuids), at least 1
    image_properties: dict = field(default_factory=dict)
    availability_zone: str | None = None
    scheduler_hints: dict = field(default_factory=dict)
    server_group: ServerGroup | None = None
    project_id: str = ""
    user_id: str = ""
    ignore_hosts: list = field(default_factory=list)
    force_hosts: list = field(default_factory=list)
    force_nodes: list = field(default_factory=list)
    requested_host: str | None = None
    requested_node: str | None = None
    is_bfv: bool = False

    def __post_init__(self):
        if not self.num_instances:
            self.num_instances = max(1, len(self.instance_uuids))

    @property
    def vcpus(self):
        return self.flavor.vcpus

    @property
    def memory_mb(self):
        return self.flavor.memory_mb

    @property
    def disk_mb(self):
        """Local disk the instance takes: root (unless boot from volume) + ephemeral + swap."""
        root = 0 if self.is_bfv else self.flavor.root_gb
        return (root + self.flavor.ephemeral_gb) * 1024 + self.flavor.swap

    @property
    def disk_gb(self):
        return self.disk_mb / 1024
