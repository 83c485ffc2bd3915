from compute.scheduler.tests.factories import host, ranking, spec
from compute.scheduler.weighers.ram_weigher import RAMWeigher


def states():
    return [host("full", memory_mb=8192, memory_mb_used=8000), host("empty", memory_mb=8192),
            host("half", memory_mb=8192, memory_mb_used=4096)]


def test_spreads_by_default_on_free_ram():
    assert RAMWeigher(multiplier=1.0).weigh(states()[1], spec()) == 8192
    assert ranking(RAMWeigher(multiplier=1.0), states(), spec()) == ["empty", "half", "full"]


def test_negative_multiplier_stacks():
    assert ranking(RAMWeigher(multiplier=-1.0), states(), spec()) == ["full", "half", "empty"]


def test_multiplier_comes_from_settings(settings):
    settings.SCHEDULER_RAM_WEIGHT_MULTIPLIER = -2.5
    assert RAMWeigher().multiplier == -2.5
