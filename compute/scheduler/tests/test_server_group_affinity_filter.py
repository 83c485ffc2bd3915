from compute.scheduler.filters.server_group_affinity_filter import ServerGroupAffinityFilter
from compute.scheduler.tests.factories import group, host, passing, spec


def test_members_follow_the_first_member():
    states = [host("a"), host("b"), host("c")]
    assert passing(ServerGroupAffinityFilter(), states, spec(group=group("affinity", ["b", "b"]))) == ["b"]


def test_first_member_goes_anywhere_and_other_policies_are_ignored():
    flt = ServerGroupAffinityFilter()
    assert not flt.applies(spec(group=group("affinity", [])))
    assert not flt.applies(spec(group=group("anti-affinity", ["a"])))
    assert not flt.applies(spec())


def test_explain():
    assert "['b']" in ServerGroupAffinityFilter().explain(host("a"), spec(group=group("affinity", ["b"])))
