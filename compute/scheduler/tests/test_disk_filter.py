from compute.scheduler.filters.disk_filter import DiskFilter
from compute.scheduler.tests.factories import host, passing, spec


def test_root_ephemeral_and_swap_count():
    h = host("h", local_gb=20, local_gb_used=10, disk_allocation_ratio=1.0)  # 10 GB free
    assert passing(DiskFilter(), [h], spec(root_gb=5, ephemeral_gb=4, swap=1024)) == ["h"]
    assert passing(DiskFilter(), [h], spec(root_gb=5, ephemeral_gb=4, swap=1025)) == []


def test_allocation_ratio_over_commits_disk():
    h = host("h", local_gb=20, local_gb_used=20, disk_allocation_ratio=1.5)  # 30 usable, 20 used
    assert passing(DiskFilter(), [h], spec(root_gb=10)) == ["h"]
    assert passing(DiskFilter(), [h], spec(root_gb=11)) == []


def test_free_disk_reported_by_the_host_wins_over_used():
    h = host("h", local_gb=100, local_gb_used=10, free_disk_gb=5)  # images cached on the disk
    assert passing(DiskFilter(), [h], spec(root_gb=6)) == []


def test_boot_from_volume_needs_no_root_disk():
    full = host("full", local_gb=20, local_gb_used=20)
    assert passing(DiskFilter(), [full], spec(root_gb=10, is_bfv=True)) == ["full"]
    assert passing(DiskFilter(), [full], spec(root_gb=10)) == []


def test_explain_gives_the_numbers():
    text = DiskFilter().explain(host("h", local_gb=20, local_gb_used=20), spec(root_gb=10))
    assert "needs 10240 MB" in text and "usable 0 MB" in text
