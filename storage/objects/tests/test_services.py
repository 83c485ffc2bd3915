"""The service functions other apps call (volume backups store chunks through them), and listings
that stay right under concurrent writers."""

import io
import threading

import pytest
from django.db import connection

from core.context import RequestContext
from core.exceptions import Forbidden, NotFound, Unauthorized
from storage.objects import services
from storage.objects.models import ObjectRecord


@pytest.fixture
def ctx(object_store, bootstrapped):
    return RequestContext.internal()


def test_put_get_delete_for_other_services(ctx):
    services.ensure_container(ctx, "proj", "backups")
    services.ensure_container(ctx, "proj", "backups")  # idempotent
    info = services.put_object(ctx, "proj", "backups", "vol/chunk-0001", io.BytesIO(b"chunk" * 1000),
                               content_type="application/octet-stream", metadata={"backup-id": "b1"})
    assert info.size == 5000
    meta, chunks = services.get_object(ctx, "proj", "backups", "vol/chunk-0001")
    assert b"".join(chunks) == b"chunk" * 1000
    assert meta.metadata["x-object-meta-backup-id"] == "b1"
    services.put_object(ctx, "proj", "backups", "gen", (b"ab" for _ in range(3)))
    assert b"".join(services.get_object(ctx, "proj", "backups", "gen")[1]) == b"ababab"
    services.delete_object(ctx, "proj", "backups", "vol/chunk-0001")
    with pytest.raises(NotFound):
        services.get_object(ctx, "proj", "backups", "vol/chunk-0001")


def test_anonymous_and_foreign_callers_denied(ctx):
    services.ensure_container(ctx, "proj", "c")
    with pytest.raises(Unauthorized):
        services.put_object(None, "proj", "c", "o", b"x")
    other = RequestContext(user_id="u", project_id="other", roles=("member", "reader"))
    with pytest.raises(Forbidden):
        services.put_object(other, "proj", "c", "o", b"x")
    with pytest.raises(Forbidden):
        services.account_info(other, "proj")


@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_keep_counts(object_store, bootstrapped):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database locks whole tables across threads (CI runs PostgreSQL)")
    ctx = RequestContext.internal()
    services.ensure_container(ctx, "proj", "busy")
    errors = []

    def writer(worker):
        try:
            for index in range(10):
                services.put_object(ctx, "proj", "busy", f"w{worker}-{index}", b"x" * (worker + 1))
                # Everyone also rewrites one shared name: it must stay a single object.
                services.put_object(ctx, "proj", "busy", "shared", b"y" * 7)
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    info = services.container_info(ctx, "proj", "busy")
    assert info.object_count == 6 * 10 + 1
    assert info.bytes_used == sum(10 * (w + 1) for w in range(6)) + 7
    account = services.account_info(ctx, "proj")
    assert (account.object_count, account.bytes_used) == (info.object_count, info.bytes_used)
    assert ObjectRecord.objects.filter(name="shared").count() == 1


@pytest.mark.django_db(transaction=True)  # foreign keys are checked at commit: needs real commits
def test_container_deleted_during_upload_leaves_no_listed_object(ctx):
    from storage.objects import store

    container = services.ensure_container(ctx, "proj", "vanishing")
    _etag, size, timestamp, _ = store.put("proj", "vanishing", "o", [b"late"], {})
    type(container).objects.filter(pk=container.pk).delete()  # another request removed it meanwhile
    with pytest.raises(NotFound):
        services._record(container, "o", timestamp, size, "e", "text/plain", {}, None)
    assert store.get("proj", "vanishing", "o") is None
