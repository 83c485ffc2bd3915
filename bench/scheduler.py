"""Benchmark: one compute scheduling decision at 100, 1,000 and 10,000 hosts.

    .venv/bin/python -m bench.scheduler                 # database from DATABASE_URL (SQLite by default)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/nebula .venv/bin/python -m bench.scheduler
    .venv/bin/python -m bench.scheduler --hosts 1000 --no-readme

It works in a throwaway database (Django's test database beside the configured one, created and
dropped here) filled with host rows of the compute models' shape: ComputeService + ComputeNode
(+ Aggregate) from compute.models. Per size it measures, as the median of several runs:

- floor:          the conductor's query of the host rows (compute.services.hosts.NODE_FIELDS: the
                  node joined to its service) through a raw cursor, fetchall
- decide only:    compute.scheduler.select_destinations over ready HostStates
- load + decide:  compute.services.hosts.host_states() (that query through .values(), one query for
                  the aggregates, host_states_from_rows) and select_destinations, as the conductor does
- … `up` in SQL:  the same with compute.scheduler.host_state.with_up_and_enabled (no timestamps to convert)

and writes the table into README.md between the bench:scheduler markers.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from bench.readme import write_block

SIZES = (100, 1000, 10000)

# What the conductor reads per host: the node's capacity and its service's state, in one query.
NODE_COLUMNS = (
    "id", "host", "hypervisor_hostname", "vcpus", "vcpus_used", "memory_mb", "memory_mb_used", "local_gb",
    "local_gb_used", "cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio",
    "reserved_host_memory_mb", "running_vms", "num_io_ops", "hypervisor_type", "hypervisor_version", "cpu_info",
    "service__availability_zone", "up", "enabled",  # up/enabled: computed by the database
)
AGGREGATE_COLUMNS = ("name", "metadata", "availability_zone", "hosts")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cloud.settings")
    import django

    django.setup()


def create_database():
    """A throwaway database with every model's table (no migrations: tables straight from models)."""
    from django.conf import settings
    from django.db import connection

    settings.DATABASES["default"].setdefault("TEST", {})
    settings.DATABASES["default"]["TEST"]["MIGRATE"] = False
    if connection.vendor != "sqlite":
        settings.DATABASES["default"]["TEST"]["NAME"] = f"{settings.DATABASES['default']['NAME']}_bench_scheduler"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name


def destroy_database(old_name):
    from django.db import connection

    connection.creation.destroy_test_db(old_name, verbosity=0)


def fill(count, rng):
    """`count` hosts of mixed size and load; a few disabled or down; aggregates with zones and metadata."""
    from django.utils import timezone

    from compute.models import Aggregate, ComputeNode, ComputeService

    now = timezone.now()
    cpu_info = json.dumps({"arch": "x86_64", "supported_instances": [["x86_64", "qemu", "hvm"],
                                                                    ["i686", "qemu", "hvm"]]})
    services, nodes = [], []
    for i in range(count):
        host = f"compute-{i:05d}"
        services.append(ComputeService(
            host=host, binary="nova-compute", availability_zone="nova", disabled=rng.random() < 0.02,
            forced_down=rng.random() < 0.005,
            last_seen_up=now - timedelta(seconds=rng.choice([5] * 97 + [600] * 3)),
        ))
    ComputeService.objects.bulk_create(services, batch_size=2000)
    service_ids = dict(ComputeService.objects.values_list("host", "id"))
    for i in range(count):
        host = f"compute-{i:05d}"
        vcpus = rng.choice((32, 64))
        memory_mb = vcpus * 4096
        local_gb = rng.choice((1000, 2000))
        nodes.append(ComputeNode(
            service_id=service_ids[host], host=host, hypervisor_hostname=f"{host}.example", hypervisor_type="qemu",
            cpu_info=cpu_info, vcpus=vcpus, memory_mb=memory_mb, local_gb=local_gb,
            vcpus_used=rng.randint(0, vcpus * 16), memory_mb_used=rng.randint(0, int(memory_mb * 1.5)),
            local_gb_used=rng.randint(0, local_gb), running_vms=rng.randint(0, 60), num_io_ops=rng.randint(0, 8),
        ))
    ComputeNode.objects.bulk_create(nodes, batch_size=2000)
    hosts = [f"compute-{i:05d}" for i in range(count)]
    Aggregate.objects.bulk_create([
        Aggregate(name="az-east", availability_zone="east", hosts=hosts[: count // 2]),
        Aggregate(name="ssd", metadata={"ssd": "true"}, hosts=hosts[::4]),
        Aggregate(name="gpu", metadata={"gpu": "a100"}, hosts=hosts[::50]),
    ])


def request_spec():
    from compute.scheduler import Flavor, RequestSpec

    # A typical boot with most filters in play: an image asking for x86_64 and a flavor that wants
    # an SSD aggregate; the four resource weighers on.
    flavor = Flavor(vcpus=2, memory_mb=4096, root_gb=20, extra_specs={"aggregate_instance_extra_specs:ssd": "true"})
    return RequestSpec(flavor=flavor, instance_uuids=["11111111-2222-3333-4444-555555555555"],
                       image_properties={"hw_architecture": "x86_64"}, project_id="bench")


def conductor_rows():
    """The conductor's own query: compute.services.hosts.host_states() reads these rows."""
    from compute.models import ComputeNode
    from compute.services.hosts import NODE_FIELDS

    return ComputeNode.objects.values(*NODE_FIELDS)


def sql_up_rows():
    """The same rows with `up` and `enabled` computed by the database instead of three columns."""
    from compute.models import ComputeNode
    from compute.scheduler.host_state import with_up_and_enabled

    return with_up_and_enabled(ComputeNode.objects.all()).values(*NODE_COLUMNS)


def aggregate_rows():
    from compute.models import Aggregate

    return list(Aggregate.objects.values(*AGGREGATE_COLUMNS))


def medians_ms(functions, repeat):
    """Median time of each function, run round-robin so that load from other processes on the
    machine falls on every figure alike. A function may take a setup: (setup, function)."""
    timings = {name: [] for name in functions}
    for round_number in range(repeat + 2):  # two warm-up rounds
        for name, entry in functions.items():
            setup, function = entry if isinstance(entry, tuple) else (None, entry)
            argument = setup() if setup else None
            start = time.perf_counter()
            function(argument)
            if round_number >= 2:
                timings[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) * 1000 for name, values in timings.items()}


def measure(count, rng):
    from django.db import connection

    from compute.models import Aggregate, ComputeNode, ComputeService
    from compute.scheduler import build_pipeline, host_states_from_rows, select_destinations
    from compute.services.hosts import host_states

    Aggregate.objects.all().delete()
    ComputeNode.objects.all().delete()
    ComputeService.objects.all().delete()
    fill(count, rng)
    repeat = {100: 100, 1000: 50}.get(count, 15)
    sql, params = conductor_rows().query.sql_with_params()
    pipeline = build_pipeline(rng=random.Random(0))
    spec = request_spec()
    rows, aggregates = list(conductor_rows()), aggregate_rows()

    def floor(_):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    def decide(states):
        select_destinations(spec, states, pipeline=pipeline)

    def load_and_decide(_):
        select_destinations(spec, host_states(), pipeline=pipeline)

    def load_sql_up_and_decide(_):
        select_destinations(spec, host_states_from_rows(list(sql_up_rows()), aggregate_rows()), pipeline=pipeline)

    [[chosen, *alternates]] = select_destinations(spec, host_states_from_rows(rows, aggregates), pipeline=pipeline)
    result = medians_ms({
        "floor": floor,
        "decide": (lambda: host_states_from_rows(rows, aggregates), decide),
        "load_decide": load_and_decide,
        "load_sql_up_decide": load_sql_up_and_decide,
    }, repeat)
    result.update(hosts=count, chosen=chosen.host)
    result["ratio"] = result["load_decide"] / result["floor"]
    result["ratio_sql_up"] = result["load_sql_up_decide"] / result["floor"]
    return result


def table(results):
    lines = [
        "| hosts | floor: one SELECT of the host rows | decide only | load + decide | ÷ floor "
        "| load + decide, `up` in SQL | ÷ floor |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(f"| {r['hosts']:,} | {r['floor']:.2f} ms | {r['decide']:.2f} ms | {r['load_decide']:.2f} ms | "
                     f"{r['ratio']:.2f}x | {r['load_sql_up_decide']:.2f} ms | {r['ratio_sql_up']:.2f}x |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hosts", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--no-readme", action="store_true", help="print the figures only")
    args = parser.parse_args(argv)
    setup_django()
    import platform

    from django.db import connection

    load = os.getloadavg()[0]
    old_name = create_database()
    try:
        rng = random.Random(42)
        results = []
        for count in args.hosts:
            result = measure(count, rng)
            results.append(result)
            print(f"{count:>6} hosts: floor {result['floor']:.2f} ms, decide {result['decide']:.2f} ms, "
                  f"load+decide {result['load_decide']:.2f} ms ({result['ratio']:.2f}x floor), with up in SQL "
                  f"{result['load_sql_up_decide']:.2f} ms ({result['ratio_sql_up']:.2f}x), chose {result['chosen']}",
                  flush=True)
        vendor = connection.vendor
    finally:
        destroy_database(old_name)
    text = (f"### Scheduler (`.venv/bin/python -m bench.scheduler`)\n\n"
            f"One scheduling decision (all default filters and weighers; an image asking for x86_64, a flavor "
            f"asking for an `ssd` aggregate) over N hosts; {vendor}, this "
            f"{os.cpu_count()}-core machine (load average {load:.1f} at the start: other work was running), "
            f"Python {platform.python_version()}; medians. Goal: ≤ 5 ms "
            f"to decide at 1,000 hosts and load + decide ≤ 3x the floor.\n\n" + table(results)
            + "\n\n*floor*: the conductor's query of the host rows (`compute.services.hosts.NODE_FIELDS`, the "
            "node joined to its service) through a raw cursor, fetchall. *decide only*: `select_destinations` "
            "over ready HostStates. *load + decide*: `compute.services.hosts.host_states()` (that query through "
            "`.values()` + one for the aggregates + `host_states_from_rows`) and `select_destinations`. "
            "*`up` in SQL*: the same with `compute.scheduler.host_state.with_up_and_enabled`, which has the "
            "database compute `up`/`enabled` so that no timestamps are converted.")
    print()
    print(text)
    if not args.no_readme:
        write_block("scheduler", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
