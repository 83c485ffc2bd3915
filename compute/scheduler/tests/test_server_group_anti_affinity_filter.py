from compute.scheduler.filters.server_group_anti_affinity_filter import ServerGroupAntiAffinityFilter
from compute.scheduler.tests.factories import group, host, passing, spec


def test_hosts_with_a_member_are_excluded():
    states = [host("a"), host("b"), host("c")]
    assert passing(ServerGroupAntiAffinityFilter(), states, spec(group=group("anti-affinity", ["a", "c"]))) == ["b"]


def test_max_server_per_host_rule():
    states = [host("a"), host("b")]
    request = spec(group=group("anti-affinity", ["a", "a", "b"], rules={"max_server_per_host": 2}))
    assert passing(ServerGroupAntiAffinityFilter(), states, request) == ["b"]


def test_other_policies_are_ignored():
    assert not ServerGroupAntiAffinityFilter().applies(spec(group=group("soft-anti-affinity", ["a"])))


def test_explain():
    text = ServerGroupAntiAffinityFilter().explain(host("a"), spec(group=group("anti-affinity", ["a"])))
    assert "1 member(s)" in text and "max_server_per_host 1" in text
