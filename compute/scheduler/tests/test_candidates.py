from compute.scheduler.candidates import candidate_hosts
from compute.scheduler.tests.factories import host, names, spec


def states():
    return [host("a", nodename="a-node"), host("b", nodename="b-node"), host("c", nodename="c-node")]


def test_nothing_asked_keeps_every_host_and_runs_filters():
    kept, skip = candidate_hosts(spec(), states())
    assert names(kept) == ["a", "b", "c"] and skip is False


def test_ignore_hosts_are_dropped():
    kept, skip = candidate_hosts(spec(ignore_hosts=["B", "c"]), states())
    assert names(kept) == ["a"] and skip is False


def test_forced_host_or_node_narrows_and_skips_filters():
    kept, skip = candidate_hosts(spec(force_hosts=["b"]), states())
    assert names(kept) == ["b"] and skip is True
    kept, skip = candidate_hosts(spec(force_nodes=["c-node"]), states())
    assert names(kept) == ["c"] and skip is True


def test_forced_host_that_is_also_ignored_leaves_nothing():
    kept, _ = candidate_hosts(spec(force_hosts=["b"], ignore_hosts=["b"]), states())
    assert kept == []


def test_requested_host_narrows_but_filters_still_run():
    kept, skip = candidate_hosts(spec(requested_host="a"), states())
    assert names(kept) == ["a"] and skip is False
    kept, _ = candidate_hosts(spec(requested_host="a", requested_node="b-node"), states())
    assert kept == []
