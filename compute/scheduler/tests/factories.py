"""Small builders for scheduler tests: hosts and requests with sensible defaults."""

import random

from compute.scheduler import Flavor, HostState, RequestSpec, ServerGroup
from core.scheduling import Aggregate, FilterWeighPipeline


def host(name, **fields):
    values = dict(vcpus=16, memory_mb=32768, local_gb=500, cpu_allocation_ratio=16.0,
                  ram_allocation_ratio=1.5, disk_allocation_ratio=1.0)
    values.update(fields)
    return HostState(host=name, **values)


def spec(vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0, swap=0, extra_specs=None, group=None, **fields):
    flavor = Flavor(vcpus=vcpus, memory_mb=memory_mb, root_gb=root_gb, ephemeral_gb=ephemeral_gb, swap=swap,
                    extra_specs=extra_specs or {})
    return RequestSpec(flavor=flavor, server_group=group, **fields)


def group(policy, hosts=(), members=None, rules=None):
    hosts = list(hosts)
    return ServerGroup(policy=policy, uuid="group-1", hosts=hosts,
                       members=members if members is not None else [f"member-{i}" for i in range(len(hosts))],
                       rules=rules or {})


def aggregate(name, zone=None, **metadata):
    return Aggregate(name=name, metadata=metadata, availability_zone=zone)


def names(states):
    return [s.host for s in states]


def ranking(weigher, states, request):
    """Host names best first when only `weigher` weighs."""
    pipeline = FilterWeighPipeline([], [weigher], rng=random.Random(0))
    return [s.host for _, s in pipeline.weigh(states, request)]


def passing(flt, states, request):
    """Names of the states that pass; the filter's fast path and its per-state test must agree."""
    passed = flt.filter_all(states, request)
    assert [s for s in states if flt.passes(s, request)] == passed
    return names(passed)
