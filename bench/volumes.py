"""Benchmark: volume create-to-available with the fake driver on two back ends, and backup throughput.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nebula CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python -m bench.volumes [--volumes 500] [--clients 8] [--data-mib 512] [--no-readme]

A live cloud as the tests start it (its own database, gunicorn, Celery) plus a volume scheduler worker,
two `fake` back end workers and one `file` back end worker with the backup queue. It measures:

- creates per second: from the first POST /volumes to the last volume `available`, --volumes volumes of
  1 GiB posted by --clients concurrent API clients, on the two fake back ends; how they spread, and
  whether each pool's allocated capacity equals the sum of its volumes (must);
- backup throughput: a 1 GiB `file` volume holding --data-mib MiB of random bytes (the rest zeros) backed
  up to the object store (chunks compressed and hashed, 3 replicas), then an incremental after one chunk
  changed, beside a plain copy of the same bytes (qemu-img export to raw + a file copy).

Figures go into README.md between the bench:volumes markers.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- bench:volumes -->", "<!-- /bench:volumes -->"
HOST = "bench"


def token(url, password):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    response = requests.post(f"{url}/identity/v3/auth/tokens?nocatalog", json=body, timeout=30)
    response.raise_for_status()
    return response.headers["X-Subject-Token"], response.json()["token"]["project"]["id"]


def wait_status(session, url, status, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = session.get(url, timeout=30).json()
        item = next(iter(body.values()))
        if item["status"] == status:
            return item
        if item["status"].startswith("error"):
            raise RuntimeError(f"{url}: {item}")
        time.sleep(0.1)
    raise TimeoutError(url)


def run(volumes, clients, data_mib):
    from core.testing.live import ADMIN_PASSWORD, LiveCloud
    from core.testing.processes import wait_for

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench.volumes needs PostgreSQL: set DATABASE_URL=postgres://…")
    load = os.getloadavg()[0]
    scratch = Path(tempfile.mkdtemp(prefix="bench-volumes-"))
    env = {"NEBULA_VOLUME_HOST": HOST, "NEBULA_VOLUME_REPORT_INTERVAL": "1",
           "NEBULA_VOLUME_BACKENDS": f"fake-a=fake,fake-b=fake,file=file:{scratch / 'file'}"}
    cloud = LiveCloud().start()
    try:
        for index in range(2):
            cloud.start_worker(f"bench-volume-scheduler-{index}", "volume-scheduler", env)
        for backend in ("fake-a", "fake-b"):
            cloud.start_worker(f"bench-{backend}", f"volume.{HOST}@{backend}", {**env}, )
        cloud.start_worker("bench-file", f"volume.{HOST}@file,volume-backup", env)
        os.environ["DATABASE_URL"] = cloud.env["DATABASE_URL"]
        os.environ["NEBULA_STATE_DIR"] = str(cloud.state_dir)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")
        import django

        django.setup()
        from storage.volumes.models import Backend, Volume

        wait_for(lambda: Backend.objects.filter(host=HOST, total_capacity_gb__gt=0).count() == 3, 60,
                 interval=0.5, what="three back ends reporting")
        auth, project_id = token(cloud.url, ADMIN_PASSWORD)
        base = f"{cloud.url}/volume/v3/{project_id}"
        headers = {"X-Auth-Token": auth, "Content-Type": "application/json"}
        session = requests.Session()
        session.headers.update(headers)
        session.put(f"{base}/os-quota-sets/{project_id}", json={"quota_set": {
            "volumes": -1, "gigabytes": -1, "backups": -1, "backup_gigabytes": -1}}, timeout=30).raise_for_status()
        for name, backend in (("bench-fake", "<or> fake-a <or> fake-b"), ("bench-file", "file")):
            session.post(f"{base}/types", json={"volume_type": {
                "name": name, "extra_specs": {"volume_backend_name": backend}}}, timeout=30).raise_for_status()

        local = threading.local()

        def create(index):
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers.update(headers)
            response = local.session.post(f"{base}/volumes", json={"volume": {
                "size": 1, "name": f"bench-{index:05d}", "volume_type": "bench-fake"}}, timeout=120)
            if response.status_code != 202:
                raise RuntimeError(f"POST /volumes: {response.status_code} {response.text[:300]}")

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            list(pool.map(create, range(volumes)))
        api_done = time.perf_counter() - started
        wait_for(lambda: Volume.objects.filter(status__in=("available", "error")).count() >= volumes, 600,
                 interval=0.05, what="every volume available")
        total = time.perf_counter() - started
        available = Volume.objects.filter(status="available").count()
        spread = {b.backend: b.volumes.count() for b in Backend.objects.filter(host=HOST, driver="fake")}
        consistent = all(b.allocated_capacity_gb == sum(v.size for v in b.volumes.all())
                         for b in Backend.objects.filter(host=HOST))

        # -- backups -------------------------------------------------------------------------------
        volume = session.post(f"{base}/volumes", json={"volume": {"size": 1, "name": "bench-backup",
                                                                  "volume_type": "bench-file"}}, timeout=30).json()
        volume = wait_status(session, f"{base}/volumes/{volume['volume']['id']}", "available")
        from storage.volumes.drivers.file import FileDriver

        driver = FileDriver("file", [str(scratch / "file")])
        location = {"id": volume["id"], "provider_location": str(scratch / "file" / f"volume-{volume['id']}.qcow2")}
        raw = scratch / "data.raw"
        with open(raw, "wb") as handle:
            for _ in range(data_mib):
                handle.write(os.urandom(1024 * 1024))
            handle.truncate(1024 ** 3)
        driver.import_raw(raw, location)

        copy_started = time.perf_counter()
        exported = scratch / "export.raw"
        driver.export_raw(location, exported)
        shutil.copyfile(exported, scratch / "copy.raw")
        os.sync()
        copy_s = time.perf_counter() - copy_started

        def backup(incremental):
            t0 = time.perf_counter()
            created = session.post(f"{base}/backups", json={"backup": {
                "volume_id": volume["id"], "incremental": incremental}}, timeout=30).json()["backup"]
            shown = wait_status(session, f"{base}/backups/{created['id']}/", "available")
            return time.perf_counter() - t0, shown

        full_s, full = backup(False)
        with open(raw, "r+b") as handle:
            handle.seek(300 * 1024 * 1024)
            handle.write(os.urandom(4096))
        driver.import_raw(raw, location)
        incremental_s, incremental = backup(True)
        restore_started = time.perf_counter()
        session.post(f"{base}/backups/{full['id']}/restore", json={"restore": {"volume_id": volume["id"]}},
                     timeout=30).raise_for_status()
        wait_status(session, f"{base}/volumes/{volume['id']}", "available")
        restore_s = time.perf_counter() - restore_started
        return {"load": load, "volumes": volumes, "clients": clients, "available": available,
                "creates_per_second": volumes / total, "total_s": total, "api_s": api_done, "spread": spread,
                "consistent": consistent, "data_mib": data_mib, "copy_s": copy_s, "full_s": full_s,
                "full_objects": full["object_count"], "incremental_s": incremental_s,
                "incremental_objects": incremental["object_count"], "restore_s": restore_s}
    finally:
        cloud.stop()
        shutil.rmtree(scratch, ignore_errors=True)


def table(r):
    gib = 1024.0
    return "\n".join([
        f"{r['volumes']} volumes of 1 GiB, {r['clients']} concurrent API clients, two `fake` back ends, two "
        f"scheduler workers (PostgreSQL, Redis, gunicorn 1x16 threads; load average at the start {r['load']:.1f} "
        f"on {os.cpu_count()} cores):",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| creates per second (first POST to last `available`) | {r['creates_per_second']:.1f} |",
        f"| all POSTs answered after | {r['api_s']:.1f} s (everything available after {r['total_s']:.1f} s) |",
        f"| available | {r['available']} of {r['volumes']} |",
        f"| spread over the back ends | {', '.join(f'{k} {v}' for k, v in sorted(r['spread'].items()))} |",
        f"| each pool's allocated GiB = the sum of its volumes | {'yes' if r['consistent'] else 'NO'} |",
        "",
        f"Backup of a 1 GiB `file` volume holding {r['data_mib']} MiB of random bytes (the rest zeros), 4 MiB "
        "chunks, zlib level 1, sha256 each, into the object store (3 replicas):",
        "",
        "| what | time | throughput (1 GiB of volume) |",
        "| --- | ---: | ---: |",
        f"| plain copy: qemu-img export to raw + file copy | {r['copy_s']:.1f} s | {gib / r['copy_s']:.0f} MiB/s |",
        f"| full backup ({r['full_objects']} objects written), API call to `available` | {r['full_s']:.1f} s | "
        f"{gib / r['full_s']:.0f} MiB/s |",
        f"| incremental after a 4 KiB change ({r['incremental_objects']} object written) | {r['incremental_s']:.1f} s |"
        f" {gib / r['incremental_s']:.0f} MiB/s |",
        f"| restore of the full backup onto the volume | {r['restore_s']:.1f} s | {gib / r['restore_s']:.0f} MiB/s |",
    ])


def write_readme(text):
    content = README.read_text()
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in content:
        content = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, content, flags=re.S)
    else:
        content = content.rstrip() + "\n\n### Volumes (`.venv/bin/python -m bench.volumes`)\n\n" + block + "\n"
    README.write_text(content)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--volumes", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--data-mib", type=int, default=512)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    text = table(run(args.volumes, args.clients, args.data_mib))
    print(text)
    if not args.no_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
