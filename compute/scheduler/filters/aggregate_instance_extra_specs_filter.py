from core.scheduling import BaseFilter
from core.scheduling.extra_specs_ops import match

SCOPE = "aggregate_instance_extra_specs"


def _wanted(extra_specs):
    """The flavor's extra specs this filter checks: its own scope and unscoped keys (Nova's rule)."""
    wanted = []
    for key, requirement in (extra_specs or {}).items():
        scope = key.split(":", 1)
        if len(scope) > 1:
            if scope[0] != SCOPE:
                continue
            key = scope[1]
        wanted.append((key, requirement))
    return wanted


def _mismatch(metadata, wanted):
    """The first (key, requirement, the host's values or None) that fails, else None."""
    for key, requirement in wanted:
        values = metadata.get(key)
        if not values:
            return key, requirement, None
        if not any(match(value, requirement) for value in values):
            return key, requirement, values
    return None


class AggregateInstanceExtraSpecsFilter(BaseFilter):
    """Each checked flavor extra spec matches the metadata of an aggregate the host is in.

    `aggregate_instance_extra_specs:ssd=true` needs an aggregate with metadata ssd=true; operators
    such as '<in>', '>=', 's==', '<or>' work as in Nova.
    """

    run_filter_once_per_request = True

    def applies(self, spec):
        return bool(_wanted(spec.flavor.extra_specs))

    def passes(self, state, spec):
        return _mismatch(state.aggregate_metadata(), _wanted(spec.flavor.extra_specs)) is None

    def filter_all(self, states, spec):
        wanted = _wanted(spec.flavor.extra_specs)
        # host_states_from_rows shares one aggregates tuple between hosts of the same aggregates:
        # decide each distinct set once.
        distinct = {id(s.aggregates): s for s in states}
        fitting = {key for key, s in distinct.items() if _mismatch(s.aggregate_metadata(), wanted) is None}
        return [s for s in states if id(s.aggregates) in fitting]

    def _mismatch(self, state, spec):
        return _mismatch(state.aggregate_metadata(), _wanted(spec.flavor.extra_specs))

    def explain(self, state, spec):
        mismatch = self._mismatch(state, spec)
        if mismatch is None:
            return "no mismatch"
        key, requirement, values = mismatch
        if values is None:
            return f"flavor wants {key}={requirement!r}, no aggregate of the host sets {key}"
        return f"flavor wants {key}={requirement!r}, the host's aggregates have {sorted(values)}"
