"""The compute scheduler (DESIGN.md §3 step 4) on the generic framework in core.scheduling.

    from compute.scheduler import (select_destinations, NoValidHost, RequestSpec, Flavor,
                                   ServerGroup, HostState, host_states_from_rows)

    states = host_states_from_rows(ComputeNode.objects.values(...))   # one query
    [[chosen, *alternates]] = select_destinations(spec, states, alternates=settings.SCHEDULER_MAX_ATTEMPTS - 1)

Filters live in filters/ and weighers in weighers/, one class per file, enabled by name through
settings.SCHEDULER_FILTERS / SCHEDULER_WEIGHERS (NEBULA_SCHEDULER_FILTERS / _WEIGHERS).
"""

from compute.scheduler.host_state import HostState, host_states_from_rows
from compute.scheduler.manager import NoValidHost, build_pipeline, select_destinations
from compute.scheduler.request_spec import Flavor, RequestSpec, ServerGroup

__all__ = [
    "Flavor",
    "HostState",
    "NoValidHost",
    "RequestSpec",
    "ServerGroup",
    "build_pipeline",
    "host_states_from_rows",
    "select_destinations",
]
