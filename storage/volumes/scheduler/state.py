"""What the volume scheduler's plugins read: one BackendState per pool, one VolumeRequest per volume."""

from dataclasses import dataclass, field


@dataclass
class VolumeRequest:
    size: int
    extra_specs: dict = field(default_factory=dict)
    availability_zone: str | None = None
    volume_id: str | None = None


@dataclass
class BackendState:
    host: str  # host@backend#pool, the name the logs and the volume's `host` use
    backend_name: str
    availability_zone: str
    total_capacity_gb: float
    free_capacity_gb: float
    allocated_capacity_gb: float = 0.0
    reserved_percentage: int = 0
    max_over_subscription_ratio: float = 1.0
    thin_provisioning_support: bool = False
    capabilities: dict = field(default_factory=dict)
    pk: int | None = None

    @classmethod
    def from_row(cls, row):
        return cls(host=row.name, backend_name=row.backend, availability_zone=row.availability_zone,
                   total_capacity_gb=row.total_capacity_gb, free_capacity_gb=row.free_capacity_gb,
                   allocated_capacity_gb=row.allocated_capacity_gb, reserved_percentage=row.reserved_percentage,
                   max_over_subscription_ratio=row.max_over_subscription_ratio,
                   thin_provisioning_support=row.thin_provisioning_support,
                   capabilities=dict(row.capabilities or {}), pk=row.pk)

    @property
    def reserved_gb(self):
        return self.total_capacity_gb * self.reserved_percentage / 100.0

    @property
    def virtual_free_gb(self):
        """Free capacity as the over-subscription ratio allows (thin), else the real free space."""
        if self.thin_provisioning_support and self.max_over_subscription_ratio >= 1:
            return (self.total_capacity_gb * self.max_over_subscription_ratio - self.allocated_capacity_gb
                    - self.reserved_gb)
        return self.free_capacity_gb - self.reserved_gb

    def consume(self, spec, instance_uuid=None):
        self.allocated_capacity_gb += spec.size
        if not self.thin_provisioning_support:
            self.free_capacity_gb -= spec.size
