"""The quota engine: limits per project, UNLIMITED, and no overshoot when reservations race."""

import threading

import pytest
from django.db import connection, connections

from core import quotas
from core.exceptions import BadRequest, OverLimit
from identity.models import Domain, Group


def count_groups(project_id):
    # A stand-in resource counted from real identity rows: groups whose description names the project.
    return Group.objects.filter(description=project_id).count()


@pytest.fixture
def groups_resource():
    quotas.register("test_groups", 3, count_groups, "test")
    yield "test_groups"
    quotas._resources.pop("test_groups", None)


def make_group(project_id, name):
    domain, _ = Domain.objects.get_or_create(id="default", defaults={"name": "Default"})
    with quotas.reserve(project_id, test_groups=1):
        Group.objects.create(name=name, domain=domain, description=project_id)


@pytest.mark.django_db
def test_default_limit_usage_and_overlimit(groups_resource):
    for index in range(3):
        make_group("p1", f"g{index}")
    assert quotas.usage("p1", "test") == {"test_groups": 3}
    with pytest.raises(OverLimit) as error:
        make_group("p1", "g3")
    assert (error.value.limit, error.value.in_use, error.value.requested) == (3, 3, 1)
    assert Group.objects.filter(description="p1").count() == 3
    # Other projects have their own count.
    make_group("p2", "other")


@pytest.mark.django_db
def test_set_limits_unlimited_and_reset(groups_resource):
    assert quotas.limits("p1", "test") == {"test_groups": 3}
    quotas.set_limits("p1", {"test_groups": 1})
    make_group("p1", "a")
    with pytest.raises(OverLimit):
        make_group("p1", "b")
    quotas.set_limits("p1", {"test_groups": quotas.UNLIMITED})
    for index in range(5):
        make_group("p1", f"u{index}")
    quotas.reset_limits("p1", "test")
    assert quotas.limits("p1", "test") == {"test_groups": 3}
    quotas.set_limits("p1", {"test_groups": 0})
    with pytest.raises(OverLimit):
        make_group("p1", "zero")


@pytest.mark.django_db
@pytest.mark.parametrize("values", [{"test_groups": -2}, {"test_groups": "5"}, {"test_groups": True},
                                    {"nothing": 1}])
def test_bad_limits(groups_resource, values):
    with pytest.raises(BadRequest):
        quotas.set_limits("p1", values)


@pytest.mark.django_db
def test_negative_deltas_need_no_lock(groups_resource):
    quotas.set_limits("p1", {"test_groups": 0})
    with quotas.reserve("p1", test_groups=-1):
        pass


@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_do_not_overshoot(groups_resource):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT ... FOR UPDATE) are what is tested; SQLite serializes all writers")
    limit, workers = 4, 12
    quotas.set_limits("race", {"test_groups": limit})
    barrier = threading.Barrier(workers)
    results = []

    def worker(index):
        try:
            barrier.wait()
            make_group("race", f"r{index}")
            results.append("ok")
        except OverLimit:
            results.append("over")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == limit and results.count("over") == workers - limit
    assert Group.objects.filter(description="race").count() == limit
