import logging
import random
from collections import Counter

import pytest

from compute.scheduler import NoValidHost, build_pipeline, select_destinations
from compute.scheduler.tests.factories import group, host, names, spec


def fleet(n=4, **fields):
    return [host(f"h{i}", vcpus=8, memory_mb=8192, local_gb=100, ram_allocation_ratio=1.0, **fields)
            for i in range(n)]


def test_one_instance_with_alternates_best_first():
    states = fleet()
    states[2].memory_mb_used = 0
    for other in (states[0], states[1], states[3]):
        other.memory_mb_used = 4096
    states[3].memory_mb_used = 2048
    [selection] = select_destinations(spec(memory_mb=1024), states, alternates=2)
    assert names(selection)[:2] == ["h2", "h3"] and selection[2].host in ("h0", "h1")
    assert selection[0].memory_mb_used == 1024  # the chosen host was charged


def test_multi_instance_request_spreads_as_hosts_fill():
    states = fleet(3)
    selections = select_destinations(spec(memory_mb=4096, instance_uuids=["u1", "u2", "u3"]), states)
    assert len(selections) == 3
    assert sorted(sel[0].host for sel in selections) == ["h0", "h1", "h2"]


def test_multi_instance_never_overcommits_within_one_decision():
    states = fleet(2)  # 2 x 8192 MB at ratio 1.0: room for exactly four 4096 MB instances
    selections = select_destinations(spec(memory_mb=4096, num_instances=4), states, alternates=0)
    assert Counter(sel[0].host for sel in selections) == {"h0": 2, "h1": 2}
    with pytest.raises(NoValidHost) as failure:
        select_destinations(spec(memory_mb=4096, num_instances=1), states)
    assert "RamFilter eliminated 2 of 2" in str(failure.value)


def test_no_valid_host_names_the_filters_and_counts(caplog):
    states = fleet(5)
    states[0].enabled = False
    states[1].up = False
    with caplog.at_level(logging.INFO, logger="nebula.scheduler"):
        with pytest.raises(NoValidHost) as failure:
            select_destinations(spec(memory_mb=9000), states)
    message = str(failure.value)
    assert message.startswith("No valid host was found.")
    assert "ComputeFilter eliminated 2 of 5" in message and "RamFilter eliminated 3 of 3" in message
    # Filters the request asks nothing of (zone, image, aggregates, groups) do not run.
    assert [(r.name, r.start, r.end) for r in failure.value.filter_results] == [
        ("ComputeFilter", 5, 3), ("RamFilter", 3, 0)]
    # Each rejection of the filter that emptied the list is logged with its numbers.
    assert "RamFilter rejected host h2: needs 9000 MB RAM, usable 8192 MB" in caplog.text


def test_every_rejection_is_logged_at_debug(caplog):
    states = fleet(3)
    states[1].memory_mb_used = 8000
    with caplog.at_level(logging.DEBUG, logger="nebula.scheduler"):
        [selection] = select_destinations(spec(memory_mb=1024), states)
    assert selection[0].host != "h1"
    assert "RamFilter rejected host h1: needs 1024 MB RAM, usable 192 MB" in caplog.text


def test_anti_affinity_group_lands_on_different_hosts():
    request = spec(group=group("anti-affinity", []), instance_uuids=["a", "b", "c"])
    selections = select_destinations(request, fleet(3))
    assert sorted(sel[0].host for sel in selections) == ["h0", "h1", "h2"]
    assert request.server_group.hosts == []  # the caller's group is not changed
    with pytest.raises(NoValidHost) as failure:
        select_destinations(spec(group=group("anti-affinity", []), num_instances=4), fleet(3))
    assert "ServerGroupAntiAffinityFilter" in str(failure.value) and "instance 4 of 4" in str(failure.value)


def test_affinity_group_stays_on_one_host():
    selections = select_destinations(spec(group=group("affinity", []), num_instances=3), fleet(4))
    assert len({sel[0].host for sel in selections}) == 1
    states = fleet(4)
    [selection] = select_destinations(spec(group=group("affinity", ["h3"])), states)
    assert selection[0].host == "h3"


def test_soft_anti_affinity_spreads_even_against_ram(settings):
    settings.SCHEDULER_SOFT_ANTI_AFFINITY_WEIGHT_MULTIPLIER = 100.0
    states = fleet(2)
    states[1].memory_mb_used = 6000  # RAM alone would pick h0
    [selection] = select_destinations(spec(group=group("soft-anti-affinity", ["h0"])), states)
    assert selection[0].host == "h1"


def test_forced_host_skips_filters_and_ignored_hosts_are_never_picked():
    states = fleet(3)
    states[2].enabled = False
    [selection] = select_destinations(spec(force_hosts=["h2"]), states)
    assert selection[0].host == "h2"
    for _ in range(10):
        [selection] = select_destinations(spec(ignore_hosts=["h0"]), fleet(3))
        assert "h0" not in names(selection)


def test_filters_and_weighers_come_from_settings(settings):
    settings.SCHEDULER_FILTERS = ["ComputeFilter"]
    settings.SCHEDULER_WEIGHERS = ["compute.scheduler.weighers.ram_weigher.RAMWeigher"]
    settings.SCHEDULER_RAM_WEIGHT_MULTIPLIER = -1.0  # stack
    pipeline = build_pipeline()
    assert [f.name for f in pipeline.filters] == ["ComputeFilter"]
    states = fleet(3)
    states[1].memory_mb_used = 100000  # RamFilter is off: the fullest host is picked when stacking
    [selection] = select_destinations(spec(memory_mb=1024), states)
    assert selection[0].host == "h1"


def test_host_subset_size_spreads_the_pick(settings):
    settings.SCHEDULER_HOST_SUBSET_SIZE = 3
    picked = Counter()
    for seed in range(60):
        states = fleet(6)
        for i, state in enumerate(states):
            state.memory_mb_used = i * 100  # h0 best … h5 worst
        [selection] = select_destinations(spec(), states, pipeline=build_pipeline(rng=random.Random(seed)))
        picked[selection[0].host] += 1
    assert set(picked) == {"h0", "h1", "h2"}


def test_anti_affinity_alternates_never_hold_a_member_of_the_request():
    request = spec(group=group("anti-affinity", []), num_instances=3, instance_uuids=["a", "b", "c"])
    selections = select_destinations(request, fleet(5), alternates=4)
    chosen = {sel[0].host for sel in selections}
    assert len(chosen) == 3
    for selection in selections:
        assert not chosen & set(names(selection[1:]))
        assert len(selection) == 3  # the two hosts left over


def test_once_per_request_filters_hold_for_every_instance():
    # The zone, image and aggregate filters run for the first instance only; the hosts they removed
    # must stay removed for the instances after it (Nova carries the filtered list forward).
    states = fleet(4)
    states[0].availability_zone = states[1].availability_zone = "east"
    states[2].memory_mb_used = states[3].memory_mb_used = -100000  # far emptier: RAM would pick them
    selections = select_destinations(spec(availability_zone="east", num_instances=4), states)
    assert {sel[0].host for sel in selections} == {"h0", "h1"}
    assert all(s.availability_zone == "east" for sel in selections for s in sel)


def test_random_fleets_never_overcommit_and_never_break_hard_groups():
    rng = random.Random(7)
    placed = 0
    for _ in range(40):
        states = [host(f"h{i}", vcpus=rng.choice((2, 4, 8)), memory_mb=rng.choice((2048, 4096, 8192)),
                       local_gb=rng.choice((20, 40, 80)), cpu_allocation_ratio=rng.choice((1.0, 2.0)),
                       ram_allocation_ratio=rng.choice((1.0, 1.5)), enabled=rng.random() > 0.1)
                  for i in range(rng.randint(1, 12))]
        policy = rng.choice((None, "affinity", "anti-affinity"))
        request = spec(vcpus=rng.choice((1, 2)), memory_mb=rng.choice((512, 1024, 2048)), root_gb=rng.choice((5, 10)),
                       num_instances=rng.randint(1, 6), group=group(policy) if policy else None)
        try:
            selections = select_destinations(request, states, alternates=2)
        except NoValidHost:
            continue
        assert len(selections) == request.num_instances
        chosen = [sel[0] for sel in selections]
        for state in chosen:
            assert state.enabled
            assert state.vcpus_used <= state.vcpus * state.cpu_allocation_ratio
            assert state.memory_mb_used <= state.memory_mb * state.ram_allocation_ratio
            assert state.local_gb_used <= state.local_gb * state.disk_allocation_ratio
        if policy == "affinity":
            assert len({s.host for s in chosen}) == 1
        if policy == "anti-affinity":
            assert len({s.host for s in chosen}) == len(chosen)
        placed += 1
    assert placed >= 15  # most random requests fit: the checks above did run
