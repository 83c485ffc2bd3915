from storage.volumes.scheduler.filters.capabilities_filter import CapabilitiesFilter
from storage.volumes.scheduler.tests.helpers import request, state


def test_backend_name_and_operators():
    flt = CapabilitiesFilter()
    a = state("h@fast#fast", capabilities={"volume_backend_name": "fast", "disk_type": "ssd", "iops": "5000"})
    b = state("h@slow#slow", capabilities={"volume_backend_name": "slow", "disk_type": "hdd", "iops": "200"})
    assert flt.filter_all([a, b], request(extra_specs={"volume_backend_name": "slow"})) == [b]
    assert flt.filter_all([a, b], request(extra_specs={"capabilities:disk_type": "<in> ssd"})) == [a]
    assert flt.filter_all([a, b], request(extra_specs={"iops": ">= 1000"})) == [a]
    assert flt.filter_all([a, b], request(extra_specs={"volume_backend_name": "<or> fast <or> slow"})) == [a, b]
    assert flt.filter_all([a, b], request(extra_specs={"volume_backend_name": "none"})) == []


def test_is_operator_and_foreign_scopes_are_ignored():
    flt = CapabilitiesFilter()
    thin = state(thin_provisioning_support=True)
    assert flt.passes(thin, request(extra_specs={"thin_provisioning_support": "<is> True"}))
    assert not flt.passes(state(), request(extra_specs={"thin_provisioning_support": "<is> True"}))
    assert not flt.applies(request(extra_specs={"qos:read_iops": "100"}))
    assert flt.applies(request(extra_specs={"volume_backend_name": "x"}))
