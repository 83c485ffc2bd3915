"""Nova's data: flavors, keypairs, instances and their history, hosts and their capacity, groupings."""

import uuid

from django.db import models
from django.utils import timezone


def new_uuid():
    return str(uuid.uuid4())


class Flavor(models.Model):
    flavorid = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=255, unique=True)
    vcpus = models.PositiveIntegerField()
    memory_mb = models.PositiveIntegerField()
    root_gb = models.PositiveIntegerField(default=0)
    ephemeral_gb = models.PositiveIntegerField(default=0)
    swap = models.PositiveIntegerField(default=0)
    rxtx_factor = models.FloatField(default=1.0)
    is_public = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)
    description = models.TextField(null=True, blank=True)
    extra_specs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name

    def as_dict(self):
        """What travels with an instance (Nova stores the flavor inside the instance too)."""
        return {"flavorid": self.flavorid, "name": self.name, "vcpus": self.vcpus, "memory_mb": self.memory_mb,
                "root_gb": self.root_gb, "ephemeral_gb": self.ephemeral_gb, "swap": self.swap,
                "extra_specs": dict(self.extra_specs or {})}


class FlavorAccess(models.Model):
    flavor = models.ForeignKey(Flavor, on_delete=models.CASCADE, related_name="access")
    project_id = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["flavor", "project_id"], name="flavor_access_unique")]


class KeyPair(models.Model):
    user_id = models.CharField(max_length=64, db_index=True)
    project_id = models.CharField(max_length=64, db_index=True, blank=True, default="")
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=16, default="ssh")
    public_key = models.TextField()
    fingerprint = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user_id", "name"], name="keypair_unique")]

    def __str__(self):
        return self.name


class Instance(models.Model):
    """A server. vm_state/task_state/power_state are Nova's; `status` is derived from them."""

    id = models.CharField(max_length=36, primary_key=True, default=new_uuid)
    name = models.CharField(max_length=255, db_index=True)
    project_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=64)
    flavor = models.ForeignKey(Flavor, on_delete=models.PROTECT, related_name="+")
    # The flavor as booted (and the new one during a resize), so a later flavor change never rewrites history.
    flavor_info = models.JSONField(default=dict)
    new_flavor = models.ForeignKey(Flavor, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    old_flavor = models.ForeignKey(Flavor, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    image_ref = models.CharField(max_length=64, blank=True, default="")
    image_info = models.JSONField(default=dict, blank=True)
    key_name = models.CharField(max_length=255, null=True, blank=True)
    key_data = models.TextField(null=True, blank=True)
    user_data = models.TextField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    security_groups = models.JSONField(default=list, blank=True)
    requested_networks = models.JSONField(default=list, blank=True)
    # Nova's instance_info_cache: the ports as allocated, so lists need no call to the network service.
    network_info = models.JSONField(default=list, blank=True)
    vm_state = models.CharField(max_length=32, default="building", db_index=True)
    task_state = models.CharField(max_length=32, null=True, blank=True)
    power_state = models.IntegerField(default=0)
    host = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    node = models.CharField(max_length=255, null=True, blank=True)
    previous_host = models.CharField(max_length=255, null=True, blank=True)
    availability_zone = models.CharField(max_length=255, null=True, blank=True)
    requested_availability_zone = models.CharField(max_length=255, null=True, blank=True)
    config_drive = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    locked_by = models.CharField(max_length=16, null=True, blank=True)
    reservation_id = models.CharField(max_length=64, blank=True, default="")
    launch_index = models.IntegerField(default=0)
    access_ip_v4 = models.CharField(max_length=64, blank=True, default="")
    access_ip_v6 = models.CharField(max_length=64, blank=True, default="")
    progress = models.IntegerField(default=0)
    console_log = models.TextField(blank=True, default="")
    # When a host last sent the console (its report, or a reader's refresh): readers wait for it to move.
    console_updated_at = models.DateTimeField(null=True, blank=True)
    # Scheduling state the conductor keeps between attempts.
    request_spec = models.JSONField(default=dict, blank=True)
    alternates = models.JSONField(default=list, blank=True)
    attempts = models.IntegerField(default=0)
    task_started_at = models.DateTimeField(null=True, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    terminated_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["project_id", "deleted", "created_at"], name="instance_project_list")]

    def __str__(self):
        return f"{self.name} ({self.id})"


class InstanceAction(models.Model):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=64)
    request_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=64, null=True, blank=True)
    project_id = models.CharField(max_length=64, null=True, blank=True)
    message = models.CharField(max_length=255, null=True, blank=True)
    start_time = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)


class InstanceActionEvent(models.Model):
    action = models.ForeignKey(InstanceAction, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=64)
    result = models.CharField(max_length=32, null=True, blank=True)
    host = models.CharField(max_length=255, null=True, blank=True)
    traceback = models.TextField(null=True, blank=True)
    start_time = models.DateTimeField(default=timezone.now)
    finish_time = models.DateTimeField(null=True, blank=True)


class InstanceFault(models.Model):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="faults")
    code = models.IntegerField(default=500)
    message = models.CharField(max_length=255)
    details = models.TextField(blank=True, default="")
    host = models.CharField(max_length=255, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class ComputeService(models.Model):
    host = models.CharField(max_length=255)
    binary = models.CharField(max_length=64, default="nova-compute")
    topic = models.CharField(max_length=64, default="compute")
    availability_zone = models.CharField(max_length=255, default="nova")
    disabled = models.BooleanField(default=False)
    disabled_reason = models.CharField(max_length=255, null=True, blank=True)
    forced_down = models.BooleanField(default=False)
    last_seen_up = models.DateTimeField(null=True, blank=True)
    report_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["host", "binary"], name="compute_service_unique")]

    def is_up(self, now=None, down_time=None):
        from django.conf import settings

        if self.forced_down or self.last_seen_up is None:
            return False
        now = now or timezone.now()
        limit = down_time if down_time is not None else settings.COMPUTE_SERVICE_DOWN_TIME
        return (now - self.last_seen_up).total_seconds() <= limit

    def __str__(self):
        return f"{self.binary}@{self.host}"


class ComputeNode(models.Model):
    """A hypervisor's capacity. Claims change the *_used columns with one conditional UPDATE."""

    service = models.ForeignKey(ComputeService, on_delete=models.CASCADE, related_name="nodes")
    host = models.CharField(max_length=255, db_index=True)
    hypervisor_hostname = models.CharField(max_length=255, unique=True)
    hypervisor_type = models.CharField(max_length=64, default="fake")
    hypervisor_version = models.IntegerField(default=1000)
    host_ip = models.CharField(max_length=64, default="127.0.0.1")
    cpu_info = models.TextField(default="{}")
    vcpus = models.IntegerField(default=0)
    memory_mb = models.IntegerField(default=0)
    local_gb = models.IntegerField(default=0)
    vcpus_used = models.IntegerField(default=0)
    memory_mb_used = models.IntegerField(default=0)
    local_gb_used = models.IntegerField(default=0)
    cpu_allocation_ratio = models.FloatField(default=16.0)
    ram_allocation_ratio = models.FloatField(default=1.5)
    disk_allocation_ratio = models.FloatField(default=1.0)
    reserved_host_memory_mb = models.IntegerField(default=0)
    running_vms = models.IntegerField(default=0)
    num_io_ops = models.IntegerField(default=0)
    current_workload = models.IntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.hypervisor_hostname


class Aggregate(models.Model):
    uuid = models.CharField(max_length=36, unique=True, default=new_uuid)
    name = models.CharField(max_length=255, unique=True)
    availability_zone = models.CharField(max_length=255, null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    hosts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.name


class ServerGroup(models.Model):
    id = models.CharField(max_length=36, primary_key=True, default=new_uuid)
    name = models.CharField(max_length=255)
    project_id = models.CharField(max_length=64, db_index=True)
    user_id = models.CharField(max_length=64)
    policy = models.CharField(max_length=32)
    rules = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class ServerGroupMember(models.Model):
    group = models.ForeignKey(ServerGroup, on_delete=models.CASCADE, related_name="members")
    instance = models.OneToOneField(Instance, on_delete=models.CASCADE, related_name="group_membership")
