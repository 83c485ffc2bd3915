from compute.scheduler.tests.factories import group, host, ranking, spec
from compute.scheduler.weighers.server_group_soft_anti_affinity_weigher import ServerGroupSoftAntiAffinityWeigher


def test_hosts_with_fewer_members_first():
    states = [host("two"), host("none"), host("one")]
    request = spec(group=group("soft-anti-affinity", ["two", "one", "two"]))
    weigher = ServerGroupSoftAntiAffinityWeigher(multiplier=1.0)
    assert weigher.weigh(states[0], request) == -2
    assert ranking(weigher, states, request) == ["none", "one", "two"]


def test_only_for_its_policy():
    weigher = ServerGroupSoftAntiAffinityWeigher(multiplier=1.0)
    assert not weigher.applies(spec(group=group("anti-affinity", ["a"])))
    assert weigher.applies(spec(group=group("soft-anti-affinity", ["a"])))


def test_multiplier_comes_from_settings(settings):
    settings.SCHEDULER_SOFT_ANTI_AFFINITY_WEIGHT_MULTIPLIER = 2.0
    assert ServerGroupSoftAntiAffinityWeigher().multiplier == 2.0
