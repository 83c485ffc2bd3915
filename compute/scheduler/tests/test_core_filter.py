from compute.scheduler.filters.core_filter import CoreFilter
from compute.scheduler.tests.factories import host, passing, spec


def test_vcpu_allocation_ratio():
    # 4 x 2.0 = 8 usable, 6 used: 2 left.
    h = host("h", vcpus=4, vcpus_used=6, cpu_allocation_ratio=2.0)
    assert passing(CoreFilter(), [h], spec(vcpus=2)) == ["h"]
    assert passing(CoreFilter(), [h], spec(vcpus=3)) == []


def test_never_more_vcpus_than_physical_cpus():
    h = host("h", vcpus=4, vcpus_used=0, cpu_allocation_ratio=16.0)
    assert passing(CoreFilter(), [h], spec(vcpus=4)) == ["h"]
    assert passing(CoreFilter(), [h], spec(vcpus=5)) == []


def test_explain_gives_the_numbers():
    text = CoreFilter().explain(host("h", vcpus=4, vcpus_used=8, cpu_allocation_ratio=2.0), spec(vcpus=2))
    assert "needs 2 vCPUs" in text and "usable 0" in text and "used 8" in text
