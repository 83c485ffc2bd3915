"""Network service figures: port creation (IPAM + MAC + default security group), racing port creation
on PostgreSQL, and the Neutron port list over the API.

    .venv/bin/python -m bench.network                  # database from DATABASE_URL (SQLite by default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nebula .venv/bin/python -m bench.network

Uses a throwaway database; writes its table into README.md between the bench:network markers.
"""

import argparse
import os
import platform
import statistics
import tempfile
import threading
import time
from bench.readme import write_block



def setup():
    os.environ.setdefault("NEBULA_STATE_DIR", tempfile.mkdtemp(prefix="nebula-bench-net-"))
    os.environ.setdefault("NEBULA_PASSWORD_HASHERS", "django.contrib.auth.hashers.MD5PasswordHasher")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor != "sqlite":
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = \
            f"{settings.DATABASES['default']['NAME']}_bench_network"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def sequential_ports(ctx, network_id, count):
    from network.services import ports

    timings = []
    for _ in range(count):
        started = time.perf_counter()
        ports.create_port(ctx, {"network_id": network_id})
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def racing_ports(network_id, threads, per_thread):
    """Each thread its own project and connection, all on one shared network: ports/s and lost races."""
    from django.db import connections

    from core.context import RequestContext
    from network.services import ipam, ports

    lost = []
    real_insert = ipam._insert

    def counting(port, subnet, address):
        won = real_insert(port, subnet, address)
        if not won:
            lost.append(address)
        return won

    ipam._insert = counting
    barrier = threading.Barrier(threads + 1)

    def worker(index):
        ctx = RequestContext(project_id=f"bench-{index}", roles=("member", "reader"))
        barrier.wait()
        try:
            for _ in range(per_thread):
                ports.create_port(ctx, {"network_id": network_id})
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - started
    ipam._insert = real_insert
    return threads * per_thread / elapsed, len(lost)


def api_list(token, count_expected):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get("/network/v2.0/ports", HTTP_X_AUTH_TOKEN=token)
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/network/v2.0/ports", HTTP_X_AUTH_TOKEN=token)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and len(response.json()["ports"]) >= count_expected
    return statistics.median(timings), len(queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ports", type=int, default=500)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    old_name = setup()
    from django.db import connection

    from core.context import RequestContext
    from identity.services import tokens
    from identity.services.bootstrap import bootstrap
    from network import bootstrap as network_bootstrap
    from network.services import networks

    try:
        bootstrap(public_url="http://testserver", admin_password="adminpw", demo_password="demopw")
        network_bootstrap.run(RequestContext.internal(), {})
        token, _, _ = tokens.authenticate({"identity": {"methods": ["password"], "password": {"user": {
            "name": "demo", "domain": {"id": "default"}, "password": "demopw"}}},
            "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}})
        demo_ctx = tokens.context_from_token(token)
        from core import quotas

        quotas.set_limits(demo_ctx.project_id, {"port": -1})
        net = networks.create_network(demo_ctx, {"name": "bench"})
        networks.create_subnet(demo_ctx, {"network_id": net.id, "cidr": "10.200.0.0/20"})
        create_ms = sequential_ports(demo_ctx, net.id, args.ports)
        list_ms, list_queries = api_list(token, args.ports)
        rows = [
            ("create a port (IPAM, MAC, default group, quota), sequential, median", f"{create_ms:.2f} ms"),
            (f"`GET /v2.0/ports` with {args.ports} ports (demo token), median", f"{list_ms:.1f} ms, {list_queries} queries"),
        ]
        if connection.vendor == "postgresql":
            admin = RequestContext(project_id="bench-admin", roles=("admin", "member", "reader"))
            shared = networks.create_network(admin, {"name": "bench-shared", "shared": True})
            networks.create_subnet(admin, {"network_id": shared.id, "cidr": "10.210.0.0/20"})
            rate, lost = racing_ports(shared.id, threads=8, per_thread=40)
            rows.append(("8 threads x 40 ports racing for one subnet (8 projects)",
                         f"{rate:.0f} ports/s, {lost} lost races retried, 0 duplicates"))
            from network.models import IPAllocation

            addresses = list(IPAllocation.objects.filter(port__network=shared).values_list("ip_address", flat=True))
            assert len(addresses) == len(set(addresses)) == 320
        text = (f"### Network (`.venv/bin/python -m bench.network`)\n\n{connection.vendor}, "
                f"{os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}.\n\n"
                "| what | figure |\n| --- | ---: |\n" + "\n".join(f"| {a} | {b} |" for a, b in rows))
        print(text)
        if not args.no_readme:
            write_block("network", text)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
