"""Benchmark: 1,000 servers booted through the API on the fake driver, two compute hosts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nebula CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python -m bench.boot [--servers 1000] [--clients 16] [--no-readme]

A live cloud as the tests start it (its own database, gunicorn, Celery), plus conductor workers and two
DB-less compute host workers (NEBULA_ROLE=compute, fake driver). It measures:

- boots per second: from the first POST /servers to the last server ACTIVE, over --servers servers
  created by --clients concurrent API clients (one server per request, as `openstack server create`);
- API latency of POST /servers (p50, p95);
- over-committed hosts afterwards: a node whose used vCPU/RAM/disk exceed capacity x allocation ratio,
  or whose used amounts differ from the sum of its instances' flavors (must be 0);
- GET /servers/detail with all servers (limit=1000) beside a raw `.values()` + json.dumps of the same
  rows (the floor), medians of 5.

Figures go into README.md between the bench:boot markers.
"""

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import time

import requests
from bench.readme import write_block

HOSTS = ("bench-a", "bench-b")


def token(url, password):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": password}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    response = requests.post(f"{url}/identity/v3/auth/tokens?nocatalog", json=body, timeout=30)
    response.raise_for_status()
    return response.headers["X-Subject-Token"], response.json()["token"]["project"]["id"]


def prepare(url, headers, project_id):
    session = requests.Session()
    session.headers.update(headers)
    for key in ("instances", "cores", "ram"):
        session.put(f"{url}/compute/v2.1/os-quota-sets/{project_id}", json={"quota_set": {key: -1}},
                    timeout=30).raise_for_status()
    session.put(f"{url}/network/v2.0/quotas/{project_id}", json={"quota": {"port": -1}},
                timeout=30).raise_for_status()
    image = session.post(f"{url}/image/v2/images", json={"name": "bench", "disk_format": "raw",
                                                         "container_format": "bare"}, timeout=30).json()
    session.put(f"{url}/image/v2/images/{image['id']}/file", data=b"\0" * 65536,
                headers={"Content-Type": "application/octet-stream"}, timeout=30).raise_for_status()
    network = session.post(f"{url}/network/v2.0/networks", json={"network": {"name": "bench-net"}},
                           timeout=30).json()["network"]
    session.post(f"{url}/network/v2.0/subnets", json={"subnet": {
        "name": "bench-subnet", "network_id": network["id"], "ip_version": 4, "cidr": "10.96.0.0/20"}},
                 timeout=30).raise_for_status()
    return image["id"], network["id"]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(servers, clients):
    from core.testing.live import ADMIN_PASSWORD, LiveCloud
    from core.testing.processes import wait_for

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench.boot needs PostgreSQL: set DATABASE_URL=postgres://…")
    load = os.getloadavg()[0]
    cloud = LiveCloud(worker_queues="default,conductor").start()
    try:
        for index in range(2):
            cloud.start_worker(f"bench-conductor-{index}", "conductor")
        capacity = {"NEBULA_FAKE_VCPUS": "64", "NEBULA_FAKE_MEMORY_MB": "131072", "NEBULA_FAKE_LOCAL_GB": "4000",
                    "NEBULA_COMPUTE_REPORT_INTERVAL": "2", "NEBULA_ROLE": "compute"}
        for host in HOSTS:
            cloud.start_worker(f"{host}-worker", f"compute.{host}", {**capacity, "NEBULA_COMPUTE_HOST": host})
        os.environ["DATABASE_URL"] = cloud.env["DATABASE_URL"]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")
        import django

        django.setup()
        from compute.models import ComputeNode, ComputeService, Instance

        wait_for(lambda: ComputeService.objects.filter(host__in=HOSTS, last_seen_up__isnull=False).count() == 2
                 and ComputeNode.objects.filter(host__in=HOSTS, vcpus=64).count() == 2, 60, interval=0.5,
                 what="both compute hosts reporting")
        auth, project_id = token(cloud.url, ADMIN_PASSWORD)
        headers = {"X-Auth-Token": auth, "Content-Type": "application/json"}
        image_id, network_id = prepare(cloud.url, headers, project_id)
        body = {"server": {"name": "bench", "flavorRef": "1", "imageRef": image_id,
                           "networks": [{"uuid": network_id}]}}
        local = __import__("threading").local()

        def boot(index):
            if not hasattr(local, "session"):
                local.session = requests.Session()
                local.session.headers.update(headers)
            started = time.perf_counter()
            response = local.session.post(f"{cloud.url}/compute/v2.1/servers",
                                          json={"server": {**body["server"], "name": f"bench-{index:05d}"}},
                                          timeout=120)
            elapsed = time.perf_counter() - started
            if response.status_code != 202:
                raise RuntimeError(f"POST /servers: {response.status_code} {response.text[:300]}")
            return elapsed

        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            latencies = list(pool.map(boot, range(servers)))
        api_done = time.perf_counter() - started

        def all_settled():
            return Instance.objects.filter(vm_state__in=("active", "error"), task_state__isnull=True).count() \
                >= servers

        wait_for(all_settled, 600, interval=0.1, what="every server ACTIVE or ERROR")
        total = time.perf_counter() - started
        active = Instance.objects.filter(vm_state="active").count()
        errors = Instance.objects.filter(vm_state="error").count()

        overcommitted = 0
        per_host = {}
        for instance in Instance.objects.filter(deleted=False).select_related("flavor"):
            used = per_host.setdefault(instance.host, [0, 0])
            used[0] += instance.flavor.vcpus
            used[1] += instance.flavor.memory_mb
        for node in ComputeNode.objects.filter(host__in=HOSTS):
            if (node.vcpus_used > node.vcpus * node.cpu_allocation_ratio
                    or node.memory_mb_used > node.memory_mb * node.ram_allocation_ratio
                    or node.local_gb_used > node.local_gb * node.disk_allocation_ratio
                    or [node.vcpus_used, node.memory_mb_used] != per_host.get(node.host, [0, 0])):
                overcommitted += 1
        spread = {h: per_host.get(h, [0])[0] for h in HOSTS}

        detail_times = []
        session = requests.Session()
        session.headers.update(headers)
        for _ in range(5):
            t0 = time.perf_counter()
            response = session.get(f"{cloud.url}/compute/v2.1/servers/detail?limit=1000", timeout=120)
            detail_times.append(time.perf_counter() - t0)
            assert len(response.json()["servers"]) == min(servers, 1000)
        floor_times = []
        for _ in range(5):
            t0 = time.perf_counter()
            rows = list(Instance.objects.filter(project_id=project_id, deleted=False).order_by("-created_at")
                        .values()[:1000])
            json.dumps(rows, default=str)
            floor_times.append(time.perf_counter() - t0)
        return {
            "load": load, "servers": servers, "clients": clients, "active": active, "errors": errors,
            "boots_per_second": servers / total, "total_s": total, "api_s": api_done,
            "api_p50_ms": percentile(latencies, 0.5) * 1000, "api_p95_ms": percentile(latencies, 0.95) * 1000,
            "overcommitted_hosts": overcommitted, "spread": spread,
            "detail_ms": statistics.median(detail_times) * 1000, "floor_ms": statistics.median(floor_times) * 1000,
        }
    finally:
        cloud.stop()


def table(result):
    ratio = result["detail_ms"] / result["floor_ms"] if result["floor_ms"] else float("nan")
    return "\n".join([
        f"{result['servers']} servers, {result['clients']} concurrent API clients, 2 fake hosts "
        f"(PostgreSQL, Redis, gunicorn 1x16 threads, conductor: 3 workers x 2 threads; load average at the "
        f"start {result['load']:.1f} on {os.cpu_count()} cores):",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| boots per second (first POST to last ACTIVE) | {result['boots_per_second']:.1f} |",
        f"| all POSTs answered after | {result['api_s']:.1f} s (everything ACTIVE after {result['total_s']:.1f} s) |",
        f"| POST /servers p50 / p95 | {result['api_p50_ms']:.0f} ms / {result['api_p95_ms']:.0f} ms |",
        f"| ACTIVE / ERROR | {result['active']} / {result['errors']} |",
        f"| over-committed hosts | {result['overcommitted_hosts']} (vCPUs per host: "
        f"{', '.join(f'{h} {n}' for h, n in result['spread'].items())}) |",
        f"| GET /servers/detail ({min(result['servers'], 1000)} servers) | {result['detail_ms']:.0f} ms |",
        f"| raw .values() + json.dumps of the same rows | {result['floor_ms']:.0f} ms |",
        f"| ratio | {ratio:.1f}x |",
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    result = run(args.servers, args.clients)
    text = table(result)
    print(text)
    if not args.no_readme:
        write_block("boot", text)


if __name__ == "__main__":
    main()
