"""Racing schedulers never both take the last room of a pool: the claim re-checks under the row lock."""

import threading

import pytest
from django.db import connection

from storage.volumes.models import Backend, Volume
from storage.volumes.services import volumes
from storage.volumes.services.placement import schedule_create


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("thin", [True, False])
def test_two_schedulers_racing_for_the_last_room(volume_cloud, thin):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises every writer anyway")
    Backend.objects.exclude(name="testhost@fake#fake").update(disabled=True)
    # Room for exactly one 1 GiB volume: thin 1 GiB x 1.5, or thick 1.5 GiB free.
    Backend.objects.filter(name="testhost@fake#fake").update(
        thin_provisioning_support=thin, total_capacity_gb=1 if thin else 1.5, free_capacity_gb=1 if thin else 1.5,
        max_over_subscription_ratio=1.5, allocated_capacity_gb=0)
    # Rows as the API leaves them, before their scheduling: the two decisions below race each other.
    rows = [Volume.objects.create(project_id=volume_cloud["demo"].project_id, size=1, status="creating",
                                  volume_type_id=volumes.type_services.default_type().id) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors = []

    def place(volume_id):
        try:
            barrier.wait(5)
            schedule_create(volume_id)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(row.id,)) for row in rows]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    statuses = sorted(Volume.objects.filter(pk__in=[r.id for r in rows]).values_list("status", flat=True))
    assert statuses == ["available", "error"], statuses
    assert Backend.objects.get(name="testhost@fake#fake").allocated_capacity_gb == 1
