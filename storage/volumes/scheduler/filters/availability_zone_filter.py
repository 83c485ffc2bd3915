from core.scheduling import BaseFilter


class AvailabilityZoneFilter(BaseFilter):
    """Only pools in the zone the volume asks for (any zone when it names none)."""

    run_filter_once_per_request = True

    def applies(self, spec):
        return bool(spec.availability_zone)

    def passes(self, state, spec):
        return state.availability_zone == spec.availability_zone

    def explain(self, state, spec):
        return f"in zone {state.availability_zone!r}, not {spec.availability_zone!r}"
