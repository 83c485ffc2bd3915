from compute.scheduler.filters.availability_zone_filter import AvailabilityZoneFilter
from compute.scheduler.tests.factories import host, passing, spec


def test_requested_zone_only():
    states = [host("a", availability_zone="az1"), host("b", availability_zone="az2"), host("c")]
    assert passing(AvailabilityZoneFilter(), states, spec(availability_zone="az2")) == ["b"]
    assert passing(AvailabilityZoneFilter(), states, spec(availability_zone="nova")) == ["c"]


def test_no_zone_requested_means_the_filter_does_not_apply():
    flt = AvailabilityZoneFilter()
    assert not flt.applies(spec())
    assert flt.applies(spec(availability_zone="az1"))
    assert flt.run_filter_once_per_request


def test_explain():
    text = AvailabilityZoneFilter().explain(host("a", availability_zone="az1"), spec(availability_zone="az2"))
    assert "'az2'" in text and "'az1'" in text
