"""select_destinations: the compute scheduler's one entry point, built from settings per call."""

import logging

from django.conf import settings

from compute.scheduler.candidates import candidate_hosts
from core.scheduling import BaseFilter, BaseWeigher, FilterWeighPipeline, NoValidBackend, load_plugins

log = logging.getLogger("nebula.scheduler")


class NoValidHost(NoValidBackend):
    """Nova's NoValidHost: the message says which filter eliminated how many hosts."""


def build_pipeline(rng=None):
    filters = load_plugins(settings.SCHEDULER_FILTERS, "compute.scheduler.filters", BaseFilter)
    weighers = load_plugins(settings.SCHEDULER_WEIGHERS, "compute.scheduler.weighers", BaseWeigher)
    return FilterWeighPipeline(filters, weighers, host_subset_size=settings.SCHEDULER_HOST_SUBSET_SIZE,
                               kind="host", log=log, rng=rng)


def select_destinations(request_spec, host_states, num_instances=None, alternates=2, pipeline=None):
    """Choose a host for each instance of the request.

    Returns one list per instance: [chosen HostState, alternate1, …] (up to `alternates`
    alternates, best first, for reschedules). `num_instances` defaults to
    request_spec.num_instances. The chosen host states are consumed (their used amounts grow), so
    pass states loaded for this request; the request's server group is copied, not changed.
    Raises NoValidHost when some instance finds no host.
    """
    if num_instances is None:
        num_instances = request_spec.num_instances
    pipeline = pipeline or build_pipeline()
    group = request_spec.server_group
    if group is not None:
        request_spec = _with_group_copy(request_spec)
        group = request_spec.server_group
    states, skip_filters = candidate_hosts(request_spec, list(host_states))
    uuids = list(request_spec.instance_uuids)

    def on_selected(state, index):
        if group is not None:
            group.add(state.host, uuids[index] if index < len(uuids) else None)

    try:
        selections = pipeline.select(request_spec, states, num_instances=num_instances, alternates=alternates,
                                     instance_uuids=uuids, skip_filters=skip_filters, on_selected=on_selected)
    except NoValidBackend as exc:
        raise NoValidHost(exc.reason, exc.filter_results) from None
    if group is not None and group.policy == "anti-affinity":
        _drop_crowded_alternates(selections, group)
    return selections


def _drop_crowded_alternates(selections, group):
    """An alternate was weighed before the later instances of the request were placed: one that now
    holds the group's limit of members would break anti-affinity on a reschedule, so it goes."""
    limit = int((group.rules or {}).get("max_server_per_host", 1))
    counts = group.host_counts
    for selection in selections:
        selection[1:] = [state for state in selection[1:] if counts.get(state.host, 0) < limit]


def _with_group_copy(spec):
    from dataclasses import replace

    return replace(spec, server_group=spec.server_group.copy())
