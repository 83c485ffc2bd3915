from compute.scheduler.tests.factories import host, ranking, spec
from compute.scheduler.weighers.disk_weigher import DiskWeigher


def states():
    return [host("small", local_gb=100, local_gb_used=90), host("large", local_gb=1000, local_gb_used=100),
            host("mid", local_gb=100, local_gb_used=0)]


def test_free_disk():
    assert DiskWeigher(multiplier=1.0).weigh(states()[0], spec()) == 10
    assert ranking(DiskWeigher(multiplier=1.0), states(), spec()) == ["large", "mid", "small"]
    assert ranking(DiskWeigher(multiplier=-1.0), states(), spec()) == ["small", "mid", "large"]


def test_multiplier_comes_from_settings(settings):
    settings.SCHEDULER_DISK_WEIGHT_MULTIPLIER = 0.0
    assert DiskWeigher().multiplier == 0.0
