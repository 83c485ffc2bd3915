"""Object store throughput against a live gunicorn, 3 replicas, beside the floor of the disk itself.

Run with `.venv/bin/python -m bench.objects`. Starts a LiveCloud (core.testing.live: gunicorn with one
worker and 16 threads, its own database: PostgreSQL when DATABASE_URL points at one, else SQLite),
then measures over HTTP with keep-alive connections:
  - 4 KiB objects: PUTs/s and GETs/s with CONCURRENCY client threads;
  - 64 MiB objects: MB/s for PUT and GET, one at a time.
The floor writes the same bytes 3 times (one file per replica) with fsync into the same state
directory, i.e. the least any 3-replica durable store on this disk must do. Writes the table into
README.md between the bench:objects markers.
"""

import argparse
import http.client
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse
from bench.readme import write_block

SMALL = 4096
LARGE = 64 * 1024 * 1024
CONCURRENCY = 8


def token_and_endpoint(url, password):
    from core.testing.live import ADMIN_PASSWORD

    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": password or ADMIN_PASSWORD}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    conn.request("POST", "/identity/v3/auth/tokens", json.dumps(body), {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = json.loads(response.read())
    token = response.getheader("X-Subject-Token")
    endpoint = next(e["url"] for s in data["token"]["catalog"] if s["type"] == "object-store"
                    for e in s["endpoints"] if e["interface"] == "public")
    return token, urlparse(endpoint).path


def timed_rate(worker, seconds, threads):
    """Operations per second of worker(conn, index) run by `threads` threads for `seconds`."""
    counts = [0] * threads
    stop = threading.Event()
    errors = []

    def loop(slot):
        conn = worker.connect()
        index = 0
        try:
            while not stop.is_set():
                worker(conn, slot, index)
                index += 1
                counts[slot] += 1
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    pool = [threading.Thread(target=loop, args=(slot,)) for slot in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise errors[0]
    return sum(counts) / elapsed


class Client:
    def __init__(self, host, port, token, base):
        self.host, self.port, self.token, self.base = host, port, token, base

    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=600)

    def call(self, conn, method, path, body=None, expect=(200, 201, 202, 204)):
        conn.request(method, f"{self.base}{path}", body, {"X-Auth-Token": self.token,
                                                           "Content-Length": str(len(body or b""))})
        response = conn.getresponse()
        data = response.read()
        if response.status not in expect:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:200]!r}")
        return data


def small_put_rate(client, seconds):
    payload = os.urandom(SMALL)

    def put(conn, slot, index):
        client.call(conn, "PUT", f"/small/{slot}-{index}", payload)

    put.connect = client.connect
    return timed_rate(put, seconds, CONCURRENCY)


def small_get_rate(client, seconds, count=200):
    conn = client.connect()
    payload = os.urandom(SMALL)
    for index in range(count):
        client.call(conn, "PUT", f"/read/{index}", payload)

    def get(conn, slot, index):
        data = client.call(conn, "GET", f"/read/{(slot * 31 + index) % count}")
        assert len(data) == SMALL

    get.connect = client.connect
    return timed_rate(get, seconds, CONCURRENCY)


def large_rates(client, rounds):
    payload = os.urandom(LARGE)
    conn = client.connect()
    put_times, get_times = [], []
    for index in range(rounds):
        started = time.perf_counter()
        client.call(conn, "PUT", f"/large/{index}", payload)
        put_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        data = client.call(conn, "GET", f"/large/{index}")
        get_times.append(time.perf_counter() - started)
        assert len(data) == LARGE
    mb = LARGE / 1e6
    return mb / min(put_times), mb / min(get_times)


def floor(directory, size, count):
    """Objects/s of writing `size` bytes 3 times with fsync (+ rename and directory fsync, as the store)."""
    payload = os.urandom(size)
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for index in range(count):
        for replica in range(3):
            tmp = directory / f"{uuid.uuid4().hex}.tmp"
            with open(tmp, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, directory / f"{index}-{replica}")
        fd = os.open(directory, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    elapsed = time.perf_counter() - started
    for path in directory.iterdir():
        path.unlink()
    return count / elapsed


def parallel_floor(directory, size, seconds, threads=CONCURRENCY):
    """Objects/s of `threads` writers each doing floor()'s work in its own directory, for `seconds`."""
    counts = [0] * threads
    deadline = time.perf_counter() + seconds

    def loop(slot):
        sub = directory / f"w{slot}"
        while time.perf_counter() < deadline:
            floor(sub, size, 5)
            counts[slot] += 5

    pool = [threading.Thread(target=loop, args=(slot,)) for slot in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    for slot in range(threads):
        (directory / f"w{slot}").rmdir()
    return sum(counts) / elapsed


def server_cpu_seconds(cloud):
    """User + system CPU seconds of the gunicorn processes so far (master and workers)."""
    web = next(p for p in cloud.processes if p.name == "web")
    pids = [web.popen.pid]
    for task in Path(f"/proc/{web.popen.pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def table(results):
    machine = (f"{os.cpu_count()}-core machine, Python {sys.version.split()[0]}, {results['database']}, "
               f"load average {results['load']:.1f} when it ran")
    small_ratio = results["small_put"] / results["floor_small"]
    large_ratio = results["large_put"] / results["floor_large"]
    lines = [
        "### Object store (`.venv/bin/python -m bench.objects`)",
        "",
        f"3 replicas on 4 devices (directories on one disk), one gunicorn worker (16 threads) unless said, {CONCURRENCY} "
        f"client threads with keep-alive for 4 KiB objects, one at a time for 64 MiB; {machine}. "
        "Floor: the same bytes written 3 times with fsync (and rename + directory fsync) to the same disk. "
        "Goals: ≥ 300 small PUTs/s; large-object PUT ≥ 50% of the floor.",
        "",
        "| measure | Nebula | floor | Nebula / floor |",
        "| --- | ---: | ---: | ---: |",
        f"| 4 KiB PUT | {results['small_put']:,.0f} /s | {results['floor_small']:,.0f} /s | {small_ratio:.0%} |",
        f"| 4 KiB PUT vs {CONCURRENCY} floor writers in parallel | {results['small_put']:,.0f} /s | "
        f"{results['floor_small_parallel']:,.0f} /s | {results['small_put'] / results['floor_small_parallel']:.0%} |",
        f"| 4 KiB GET | {results['small_get']:,.0f} /s | — | — |",
    ]
    if "small_put_multi" in results:
        workers = results["workers"]
        lines += [
            f"| 4 KiB PUT, {workers} gunicorn workers | {results['small_put_multi']:,.0f} /s | "
            f"{results['floor_small_parallel']:,.0f} /s (parallel) | "
            f"{results['small_put_multi'] / results['floor_small_parallel']:.0%} |",
            f"| 4 KiB GET, {workers} gunicorn workers | {results['small_get_multi']:,.0f} /s | — | — |",
        ]
    lines += [
        f"| web server CPU per 4 KiB PUT / GET | {results['put_cpu_ms']:.1f} ms / {results['get_cpu_ms']:.1f} ms | — | "
        f"ceiling on one free core: {1000 / results['put_cpu_ms']:,.0f} PUT/s, {1000 / results['get_cpu_ms']:,.0f} GET/s |",
        f"| 64 MiB PUT | {results['large_put']:,.0f} MB/s | {results['floor_large']:,.0f} MB/s | {large_ratio:.0%} |",
        f"| 64 MiB GET | {results['large_get']:,.0f} MB/s | — | — |",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per small-object measure")
    parser.add_argument("--rounds", type=int, default=3, help="64 MiB round trips (best is reported)")
    parser.add_argument("--web-workers", type=int, default=2,
                        help="also measure small objects with this many gunicorn workers (NEBULA_WEB_WORKERS)")
    parser.add_argument("--no-readme", action="store_true", help="print only, do not edit README.md")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")
    from core.testing.live import LiveCloud

    # The floor first, on a quiet disk (os.sync before each, so no earlier writeback is billed to it).
    import tempfile

    floor_dir = Path(tempfile.mkdtemp(prefix="nebula-bench-floor-"))
    os.sync()
    floor_small = floor(floor_dir, SMALL, 500)
    os.sync()
    floor_small_parallel = parallel_floor(floor_dir, SMALL, args.seconds)
    os.sync()
    floor_large = floor(floor_dir, LARGE, args.rounds) * LARGE / 1e6
    floor_dir.rmdir()
    results = {"database": "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite",
               "floor_small": floor_small, "floor_large": floor_large,
               "floor_small_parallel": floor_small_parallel, "workers": args.web_workers}
    for workers in (1, args.web_workers) if args.web_workers > 1 else (1,):
        cloud = LiveCloud(web_workers=workers)
        try:
            cloud.start()
        except Exception:
            print(cloud.logs(), file=sys.stderr)
            cloud.stop()
            raise
        try:
            token, base = token_and_endpoint(cloud.url, None)
            parsed = urlparse(cloud.url)
            client = Client(parsed.hostname, parsed.port, token, base)
            conn = client.connect()
            for container in ("small", "read", "large"):
                client.call(conn, "PUT", f"/{container}")
            suffix = "" if workers == 1 else "_multi"
            os.sync()
            cpu = server_cpu_seconds(cloud)
            results["small_put" + suffix] = small_put_rate(client, args.seconds)
            results["put_cpu_ms" + suffix] = (server_cpu_seconds(cloud) - cpu) * 1000 / (
                results["small_put" + suffix] * args.seconds)
            cpu = server_cpu_seconds(cloud)
            results["small_get" + suffix] = small_get_rate(client, args.seconds)
            results["get_cpu_ms" + suffix] = (server_cpu_seconds(cloud) - cpu) * 1000 / (
                results["small_get" + suffix] * args.seconds)
            if workers == 1:
                os.sync()
                results["large_put"], results["large_get"] = large_rates(client, args.rounds)
            results["load"] = os.getloadavg()[0]
        finally:
            cloud.stop()
    text = table(results)
    print(text)
    if not args.no_readme:
        write_block("objects", text)


if __name__ == "__main__":
    main()
