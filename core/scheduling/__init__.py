"""The generic filter/weigher scheduling framework (Nova's FilterScheduler shape).

A scheduler is a `FilterWeighPipeline` of filters and weighers over *backend states*: any objects a
plugin knows how to read (compute's HostState, later the volume scheduler's backend state). The
pipeline does what is common to every scheduler: loading plugins by name, filtering with per-filter
accounting and rejection logging, weighing with multipliers and min-max normalisation, the random
pick among the best `host_subset_size`, alternates, and consuming the chosen backend so that a
multi-instance request spreads correctly within one decision.

Only the service-specific plugins and state classes live in the services (compute/scheduler/, …).
A new scheduler (the volume scheduler, say) needs:

- a state class per backend with the attributes its plugins read, `host` (and optionally
  `nodename`) for the logs, and `consume(spec, instance_uuid)` to charge one request to it;
- a request object its plugins read (any class);
- plugins in a package, one class per file, subclassing BaseFilter (`passes`, `explain`, optional
  `applies`, `filter_all`, `run_filter_once_per_request`) and BaseWeigher (`weigh`, optional
  `weigh_all`, `multiplier_setting`, `default_multiplier`, `minval`/`maxval`);
- settings listing them by name, then:

    pipeline = FilterWeighPipeline(
        load_plugins(settings.VOLUME_SCHEDULER_FILTERS, "storage.volumes.scheduler.filters", BaseFilter),
        load_plugins(settings.VOLUME_SCHEDULER_WEIGHERS, "storage.volumes.scheduler.weighers", BaseWeigher),
        host_subset_size=1, kind="backend")
    [[chosen, *alternates]] = pipeline.select(request, backend_states, alternates=2)   # or NoValidBackend
"""

from core.scheduling import extra_specs_ops
from core.scheduling.base import Aggregate, BaseFilter, BaseWeigher, NoValidBackend
from core.scheduling.loader import load_plugins
from core.scheduling.pipeline import FilterResult, FilterWeighPipeline, normalize

__all__ = [
    "Aggregate",
    "extra_specs_ops",
    "BaseFilter",
    "BaseWeigher",
    "FilterResult",
    "FilterWeighPipeline",
    "NoValidBackend",
    "load_plugins",
    "normalize",
]
