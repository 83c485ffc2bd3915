from storage.volumes.scheduler.filters.capacity_filter import CapacityFilter
from storage.volumes.scheduler.tests.helpers import request, state


def test_thick_pool_needs_real_free_space_minus_reserved():
    flt = CapacityFilter()
    assert flt.passes(state(free_capacity_gb=10), request(10))
    assert not flt.passes(state(free_capacity_gb=10), request(11))
    assert not flt.passes(state(free_capacity_gb=10, reserved_percentage=5), request(10))  # 5 GB of 100 reserved


def test_thin_pool_oversubscribes_up_to_the_ratio():
    flt = CapacityFilter()
    thin = state(free_capacity_gb=50, thin_provisioning_support=True, max_over_subscription_ratio=2.0,
                 allocated_capacity_gb=150)
    assert flt.passes(thin, request(50))  # 100 * 2 - 150 = 50
    assert not flt.passes(thin, request(51))
    full_disk = state(free_capacity_gb=0, thin_provisioning_support=True, max_over_subscription_ratio=20.0)
    assert not flt.passes(full_disk, request(1))


def test_unreported_pool_takes_nothing_and_filter_all_agrees():
    flt = CapacityFilter()
    states = [state("h@a#a", total_capacity_gb=0, free_capacity_gb=0), state("h@b#b", free_capacity_gb=5)]
    assert [s.host for s in flt.filter_all(states, request(5))] == ["h@b#b"]
    assert "requested 6 GB" in flt.explain(states[1], request(6))
