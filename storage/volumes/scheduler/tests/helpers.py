from storage.volumes.scheduler.state import BackendState, VolumeRequest


def state(name="h@b#p", **kw):
    values = dict(host=name, backend_name=name.split("@")[1].split("#")[0], availability_zone="nova",
                  total_capacity_gb=100.0, free_capacity_gb=100.0, allocated_capacity_gb=0.0,
                  max_over_subscription_ratio=1.0, thin_provisioning_support=False)
    values.update(kw)
    return BackendState(**values)


def request(size=1, **kw):
    return VolumeRequest(size=size, **kw)
