from compute.scheduler.tests.factories import host, ranking, spec
from compute.scheduler.weighers.cpu_weigher import CPUWeigher


def states():
    return [host("busy", vcpus=8, vcpus_used=60, cpu_allocation_ratio=8.0),
            host("idle", vcpus=8, vcpus_used=0, cpu_allocation_ratio=8.0),
            host("big-ratio", vcpus=8, vcpus_used=60, cpu_allocation_ratio=16.0)]


def test_free_vcpus_after_overcommit():
    assert CPUWeigher(multiplier=1.0).weigh(states()[0], spec()) == 4
    assert ranking(CPUWeigher(multiplier=1.0), states(), spec()) == ["big-ratio", "idle", "busy"]


def test_negative_multiplier_stacks():
    assert ranking(CPUWeigher(multiplier=-1.0), states(), spec())[0] == "busy"


def test_multiplier_comes_from_settings(settings):
    settings.SCHEDULER_CPU_WEIGHT_MULTIPLIER = 3.0
    assert CPUWeigher().multiplier == 3.0
