from collections import Counter

import pytest

from storage.objects.ring import Ring, RingError, load, object_hash


def make_ring(zones=4, devices_per_zone=1, part_power=6, tmp_path=None):
    ring = Ring(part_power=part_power)
    for zone in range(1, zones + 1):
        for index in range(devices_per_zone):
            ring.add_device(f"z{zone}d{index}", zone, 100, f"/tmp/none/z{zone}d{index}")
    ring.rebalance()
    return ring


def test_replicas_in_distinct_zones_and_balanced():
    ring = make_ring(zones=4, devices_per_zone=2)
    counts = Counter()
    for part in range(ring.partitions):
        devices = ring.primaries(part)
        assert len(devices) == 3 and len({d.zone for d in devices}) == 3
        counts.update(d.id for d in devices)
    expected = ring.partitions * 3 / 8
    assert all(abs(n - expected) <= expected * 0.1 + 1 for n in counts.values())


def test_weights_are_honoured():
    ring = Ring(part_power=8)
    for zone, weight in ((1, 100), (2, 100), (3, 100), (4, 200)):
        ring.add_device(f"d{zone}", zone, weight, "/x")
    ring.rebalance()
    counts = Counter(d for assigned in ring.assignments for d in assigned)
    assert counts[3] > counts[0]


def test_adding_a_device_moves_few_partitions():
    ring = make_ring(zones=3)
    before = [list(a) for a in ring.assignments]
    ring.add_device("new", 4, 100, "/x")
    ring.rebalance()
    moved = sum(len(set(a) - set(b)) for a, b in zip(ring.assignments, before))
    total = ring.partitions * 3
    # The new device should take about a quarter of the replicas, and little else should move.
    assert total * 0.15 <= moved <= total * 0.35
    assert all(len({ring.device(d).zone for d in a}) == 3 for a in ring.assignments)


def test_removing_a_device_reassigns_its_partitions():
    ring = make_ring(zones=4)
    ring.remove_device("z2d0")
    ring.rebalance()
    assert all(1 not in a and len(set(a)) == 3 for a in ring.assignments)


def test_handoffs_exclude_primaries_and_prefer_other_zones():
    ring = make_ring(zones=5)
    for part in range(ring.partitions):
        primaries = {d.id for d in ring.primaries(part)}
        handoffs = ring.handoffs(part)
        assert primaries.isdisjoint(d.id for d in handoffs)
        assert len(handoffs) == 2


def test_errors():
    ring = Ring()
    with pytest.raises(RingError):
        ring.rebalance()
    ring.add_device("a", 1, 1, "/x")
    with pytest.raises(RingError):
        ring.add_device("a", 2, 1, "/x")
    with pytest.raises(RingError):
        ring.find("nope")
    with pytest.raises(RingError):
        Ring().primaries(0)


def test_save_and_load_round_trip(tmp_path):
    ring = make_ring()
    path = tmp_path / "ring.json"
    ring.save(path)
    loaded = load(path)
    assert loaded.assignments == ring.assignments and loaded.devices == ring.devices
    with pytest.raises(RingError):
        load(tmp_path / "missing.json")


def test_partition_of_hash_in_range():
    ring = make_ring(part_power=10)
    parts = {ring.partition(object_hash("a", "c", f"o{i}")) for i in range(2000)}
    assert min(parts) >= 0 and max(parts) < 1024 and len(parts) > 500
