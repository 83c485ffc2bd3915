from core.scheduling import BaseFilter


class CapacityFilter(BaseFilter):
    """Toy volume-style filter: enough free capacity for the request's size."""

    def passes(self, state, spec):
        return state.free >= spec.size

    def explain(self, state, spec):
        return f"needs {spec.size}, free {state.free}"
