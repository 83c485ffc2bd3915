from core.scheduling import BaseFilter


class ComputeFilter(BaseFilter):
    """The host's compute service is enabled and its heartbeat is fresh."""

    def passes(self, state, spec):
        return state.enabled and state.up

    def filter_all(self, states, spec):
        return [s for s in states if s.enabled and s.up]

    def explain(self, state, spec):
        return f"service enabled={state.enabled}, up={state.up}"
