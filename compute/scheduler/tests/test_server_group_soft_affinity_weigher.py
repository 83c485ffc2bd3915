from compute.scheduler.tests.factories import group, host, ranking, spec
from compute.scheduler.weighers.server_group_soft_affinity_weigher import ServerGroupSoftAffinityWeigher


def test_hosts_with_more_members_first():
    states = [host("none"), host("two"), host("one")]
    request = spec(group=group("soft-affinity", ["two", "one", "two"]))
    weigher = ServerGroupSoftAffinityWeigher(multiplier=1.0)
    assert weigher.weigh(states[1], request) == 2
    assert ranking(weigher, states, request) == ["two", "one", "none"]


def test_only_for_its_policy():
    weigher = ServerGroupSoftAffinityWeigher(multiplier=1.0)
    assert not weigher.applies(spec(group=group("soft-anti-affinity", ["a"])))
    assert not weigher.applies(spec(group=group("soft-affinity", [])))
    assert not weigher.applies(spec())


def test_multiplier_comes_from_settings(settings):
    settings.SCHEDULER_SOFT_AFFINITY_WEIGHT_MULTIPLIER = 10.0
    assert ServerGroupSoftAffinityWeigher().multiplier == 10.0
