from compute.scheduler.filters.ram_filter import RamFilter
from compute.scheduler.tests.factories import host, passing, spec


def test_allocation_ratio_allows_overcommit_up_to_the_limit():
    # 8192 MB x 1.5 = 12288 usable; 8000 used leaves 4288.
    edge = host("edge", memory_mb=8192, memory_mb_used=8000, ram_allocation_ratio=1.5)
    assert passing(RamFilter(), [edge], spec(memory_mb=4288)) == ["edge"]
    assert passing(RamFilter(), [edge], spec(memory_mb=4289)) == []


def test_ratio_one_means_physical_memory_only():
    strict = host("strict", memory_mb=8192, memory_mb_used=4096, ram_allocation_ratio=1.0)
    loose = host("loose", memory_mb=8192, memory_mb_used=4096, ram_allocation_ratio=2.0)
    assert passing(RamFilter(), [strict, loose], spec(memory_mb=6000)) == ["loose"]


def test_explain_gives_the_numbers():
    text = RamFilter().explain(host("h", memory_mb=1024, memory_mb_used=1000, ram_allocation_ratio=1.0),
                               spec(memory_mb=2048))
    assert "2048" in text and "24" in text and "1024" in text
