from core.scheduling import BaseFilter


class AvailabilityZoneFilter(BaseFilter):
    """The host is in the requested availability zone (any zone when none is requested)."""

    run_filter_once_per_request = True

    def applies(self, spec):
        return bool(spec.availability_zone)

    def passes(self, state, spec):
        return state.availability_zone == spec.availability_zone

    def filter_all(self, states, spec):
        zone = spec.availability_zone
        return [s for s in states if s.availability_zone == zone]

    def explain(self, state, spec):
        return f"requested zone {spec.availability_zone!r}, host is in {state.availability_zone!r}"
