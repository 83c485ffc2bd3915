"""Image upload and download throughput against a live gunicorn, beside a plain file copy on the same disk,
and the web server's memory while it streams.

Run with `.venv/bin/python -m bench.images` (default 1 GiB; `--mib N` for another size). It starts a live
Nebula (core.testing.live.LiveCloud: gunicorn with 1 worker x 16 threads, as `make run`), uploads generated
data (never held whole by the client either) with PUT /image/v2/images/{id}/file, downloads it back, and
copies a file of the same size with `cp` + fsync in the same directory as the image store. Writes its table
into README.md between the bench:images markers.
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse
from bench.readme import write_block

CHUNK = 1024 * 1024


def _token(cloud):
    url = urlparse(cloud.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    body = json.dumps({"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "domain": {"id": "default"}, "password": "admin-secret-pw"}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}})
    connection.request("POST", "/identity/v3/auth/tokens?nocatalog", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.getheader("X-Subject-Token")


def _request(cloud, method, path, token, body=None, headers=None):
    url = urlparse(cloud.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    connection.request(method, path, body=body, headers={"X-Auth-Token": token, **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def upload(cloud, token, image_id, total_bytes, block):
    """PUT generated data in 1 MiB sends; returns the seconds until the server's answer."""
    url = urlparse(cloud.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    connection.putrequest("PUT", f"/image/v2/images/{image_id}/file")
    connection.putheader("X-Auth-Token", token)
    connection.putheader("Content-Type", "application/octet-stream")
    connection.putheader("Content-Length", str(total_bytes))
    connection.endheaders()
    started = time.perf_counter()
    sent = 0
    while sent < total_bytes:
        piece = block[: min(len(block), total_bytes - sent)]
        connection.send(piece)
        sent += len(piece)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 204:
        raise RuntimeError(f"upload answered {response.status}")
    return elapsed


def download(cloud, token, image_id):
    url = urlparse(cloud.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", f"/image/v2/images/{image_id}/file", headers={"X-Auth-Token": token})
    response = connection.getresponse()
    received = 0
    while True:
        chunk = response.read(CHUNK)
        if not chunk:
            break
        received += len(chunk)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, received, response.getheader("Content-MD5")


def plain_copy(directory, total_bytes, block):
    """Seconds for `cp` of a file of total_bytes plus fsync, in the store's directory (same disk)."""
    source, target = directory / "bench-source", directory / "bench-copy"
    with open(source, "wb") as handle:
        written = 0
        while written < total_bytes:
            piece = block[: min(len(block), total_bytes - written)]
            handle.write(piece)
            written += len(piece)
        handle.flush()
        os.fsync(handle.fileno())
    started = time.perf_counter()
    subprocess.run(["cp", str(source), str(target)], check=True)
    subprocess.run(["sync", str(target)], check=True)
    elapsed = time.perf_counter() - started
    source.unlink()
    target.unlink()
    return elapsed


def measure(total_bytes):
    from core.testing.live import LiveCloud
    from core.testing.memory import PeakSampler, children, rss_kib

    block = os.urandom(CHUNK)
    cloud = LiveCloud().start()
    try:
        web = next(p for p in cloud.processes if p.name == "web")
        workers = children(web.popen.pid)
        token = _token(cloud)
        status, body = _request(cloud, "POST", "/image/v2/images", token, json.dumps(
            {"name": "bench", "disk_format": "raw", "container_format": "bare"}),
            {"Content-Type": "application/json"})
        image_id = json.loads(body)["id"]
        # Warm the worker (imports, connections) before the baseline.
        _request(cloud, "GET", f"/image/v2/images/{image_id}", token)
        baseline = sum(rss_kib(pid) for pid in workers)
        with PeakSampler(workers) as during_upload:
            upload_seconds = upload(cloud, token, image_id, total_bytes, block)
        with PeakSampler(workers) as during_download:
            download_seconds, received, md5 = download(cloud, token, image_id)
        if received != total_bytes:
            raise RuntimeError(f"downloaded {received} of {total_bytes} bytes")
        store = Path(cloud.state_dir) / "images"
        copy_seconds = plain_copy(store, total_bytes, block)
        return {
            "bytes": total_bytes, "upload": upload_seconds, "download": download_seconds, "copy": copy_seconds,
            "baseline_kib": baseline, "upload_peak_kib": during_upload.peak,
            "download_peak_kib": during_download.peak, "md5": md5, "load": os.getloadavg()[0],
        }
    finally:
        cloud.stop()


def table(r):
    mib = r["bytes"] / CHUNK

    def speed(seconds):
        return f"{mib / seconds:,.0f} MiB/s"

    grow_up = (r["upload_peak_kib"] - r["baseline_kib"]) / 1024
    grow_down = (r["download_peak_kib"] - r["baseline_kib"]) / 1024
    return "\n".join([
        "### Images (`.venv/bin/python -m bench.images`)",
        "",
        f"Image data throughput ({mib:,.0f} MiB of generated data, gunicorn 1 worker x 16 threads, "
        f"filesystem store, one client on loopback; Python {sys.version.split()[0]}; load average "
        f"{r['load']:.1f} on {os.cpu_count()} cores: the figures move with the machine's load):",
        "",
        "| what | time | throughput | vs. plain copy | web worker RSS growth (peak) |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| plain `cp` + sync on the store's disk | {r['copy']:.2f} s | {speed(r['copy'])} | 1.00x | - |",
        f"| upload `PUT /v2/images/{{id}}/file` (md5 + sha512 + fsync) | {r['upload']:.2f} s | "
        f"{speed(r['upload'])} | {r['copy'] / r['upload']:.2f}x | {grow_up:+.1f} MiB |",
        f"| download `GET /v2/images/{{id}}/file` | {r['download']:.2f} s | {speed(r['download'])} | "
        f"{r['copy'] / r['download']:.2f}x | {grow_down:+.1f} MiB |",
        "",
        "*vs. plain copy*: the copy's time divided by the operation's (above 1x: faster than the copy). The upload "
        "reads the socket, computes md5 and sha512 (in two threads, overlapping the write) and fsyncs; on this "
        "2-core machine the client, gunicorn and the two hashes share the cores, which bounds it. The download is "
        "gunicorn's sendfile of the stored file, mostly from the page cache right after the upload. RSS growth: "
        "the gunicorn worker's peak VmRSS during the transfer minus its VmRSS before (sampled every 20 ms from "
        "/proc): the body is streamed in 1 MiB chunks, never held whole.",
    ])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=int, default=1024, help="MiB of image data")
    parser.add_argument("--no-readme", action="store_true", help="print only, do not edit README.md")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")
    results = measure(args.mib * CHUNK)
    text = table(results)
    print(text)
    if not args.no_readme:
        write_block("images", text)


if __name__ == "__main__":
    main()
