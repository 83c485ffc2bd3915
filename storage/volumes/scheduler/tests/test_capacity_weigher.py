from core.scheduling import FilterWeighPipeline
from storage.volumes.scheduler.tests.helpers import request, state
from storage.volumes.scheduler.weighers.capacity_weigher import CapacityWeigher


def test_spreads_to_the_most_virtual_free_and_stacks_with_a_negative_multiplier():
    roomy = state("h@a#a", free_capacity_gb=80)
    tight = state("h@b#b", free_capacity_gb=20)
    thin = state("h@c#c", free_capacity_gb=20, thin_provisioning_support=True, max_over_subscription_ratio=5.0)
    spread = FilterWeighPipeline([], [CapacityWeigher(1.0)])
    assert [s.host for _, s in spread.weigh([roomy, tight, thin], request())] == ["h@c#c", "h@a#a", "h@b#b"]
    stack = FilterWeighPipeline([], [CapacityWeigher(-1.0)])
    assert stack.weigh([roomy, tight], request())[0][1] is tight


def test_consume_spreads_a_sequence_of_picks():
    a, b = state("h@a#a", free_capacity_gb=10), state("h@b#b", free_capacity_gb=9)
    pipeline = FilterWeighPipeline([], [CapacityWeigher(1.0)])
    [first] = pipeline.select_one(request(2), [a, b])
    assert first is a
    first.consume(request(2))  # a (thick) now has 8 GB free, less than b's 9
    assert pipeline.select_one(request(2), [a, b])[0] is b
