import os
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from storage.objects import conf, ring as ring_module, store, tasks


def test_replicate_task_restores_a_wiped_device(object_store):
    store.put("a", "c", "o", [b"data"], {})
    for device in object_store.devices:
        shutil.rmtree(device.path)
        os.mkdir(device.path)
        break
    result = tasks.replicate.apply().get()
    assert result["checked"] >= 2
    assert tasks.audit.apply().get()["quarantined"] == 0


def test_reap_task(object_store, db):
    assert tasks.reap_expired.apply().get() == 0


def test_object_ring_command(settings, tmp_path):
    settings.OBJECT_DEVICES_DIR = str(tmp_path)
    out = StringIO()
    call_command("object_ring", "create", "--part-power", "4", stdout=out)
    for index in range(3):
        call_command("object_ring", "add", f"d{index}", "--zone", str(index + 1), stdout=out)
    call_command("object_ring", "rebalance", stdout=out)
    call_command("object_ring", "set-status", "d1", "down", stdout=out)
    call_command("object_ring", "set-weight", "d2", "50", stdout=out)
    shown = StringIO()
    call_command("object_ring", "show", stdout=shown)
    assert "d1" in shown.getvalue() and "status=down" in shown.getvalue() and "parts=16" in shown.getvalue()
    assert (tmp_path / "d0").is_dir()
    ring = ring_module.load(conf.ring_path())
    assert len(ring.assignments) == 16
    with pytest.raises(CommandError):
        call_command("object_ring", "remove", "nope", stdout=out)
    with pytest.raises(CommandError):
        call_command("object_ring", "create", stdout=out)
    ring_module._cache.clear()


def test_object_replicate_command(object_store, db):
    store.put("a", "c", "o", [b"data"], {})
    out = StringIO()
    call_command("object_replicate", "--audit", "--reap", stdout=out)
    assert "replication" in out.getvalue() and "audit" in out.getvalue()
    # Only some devices: a wiped device is refilled only when the devices holding copies push.
    wiped = object_store.devices[0]
    name = next(n for n in (f"o{i}" for i in range(100)) if wiped.name in
                [d.name for d in object_store.primaries(object_store.partition(ring_module.object_hash("a", "c", n)))])
    store.put("a", "c", name, [b"data"], {})
    shutil.rmtree(wiped.path)
    os.mkdir(wiped.path)
    out = StringIO()
    call_command("object_replicate", "--devices", wiped.name, stdout=out)
    assert "checked=0" in out.getvalue() and not os.listdir(wiped.path)
    others = ",".join(d.name for d in object_store.devices[1:])
    call_command("object_replicate", "--devices", others, stdout=out)
    assert store.get("a", "c", name) is not None and os.listdir(os.path.join(wiped.path, "objects"))


def test_bootstrap_is_idempotent(object_store):
    from storage.objects import bootstrap

    before = conf.ring_path().read_text()
    bootstrap.run(None, {})
    assert conf.ring_path().read_text() == before
