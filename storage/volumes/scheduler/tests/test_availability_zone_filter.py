from storage.volumes.scheduler.filters.availability_zone_filter import AvailabilityZoneFilter
from storage.volumes.scheduler.tests.helpers import request, state


def test_zone_filter():
    flt = AvailabilityZoneFilter()
    east, west = state("h@e#e", availability_zone="east"), state("h@w#w", availability_zone="west")
    assert flt.filter_all([east, west], request(availability_zone="west")) == [west]
    assert not flt.applies(request())
    assert "east" in flt.explain(east, request(availability_zone="west"))
