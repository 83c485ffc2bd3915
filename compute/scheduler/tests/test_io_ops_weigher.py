from compute.scheduler.tests.factories import host, ranking, spec
from compute.scheduler.weighers.io_ops_weigher import IoOpsWeigher


def states():
    return [host("busy", num_io_ops=8), host("idle", num_io_ops=0), host("some", num_io_ops=2)]


def test_default_prefers_hosts_with_fewer_io_ops(settings):
    del settings.SCHEDULER_IO_OPS_WEIGHT_MULTIPLIER
    weigher = IoOpsWeigher()
    assert weigher.multiplier == -1.0
    assert ranking(weigher, states(), spec()) == ["idle", "some", "busy"]


def test_positive_multiplier_prefers_busy_hosts(settings):
    settings.SCHEDULER_IO_OPS_WEIGHT_MULTIPLIER = 1.0
    assert ranking(IoOpsWeigher(), states(), spec()) == ["busy", "some", "idle"]
