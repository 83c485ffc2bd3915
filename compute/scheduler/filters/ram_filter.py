from core.scheduling import BaseFilter


class RamFilter(BaseFilter):
    """Enough RAM left after over-commit: memory_mb x ram_allocation_ratio - used >= requested."""

    def passes(self, state, spec):
        return state.memory_mb * state.ram_allocation_ratio - state.memory_mb_used >= spec.memory_mb

    def filter_all(self, states, spec):
        need = spec.memory_mb
        return [s for s in states if s.memory_mb * s.ram_allocation_ratio - s.memory_mb_used >= need]

    def explain(self, state, spec):
        return (f"needs {spec.memory_mb} MB RAM, usable {state.usable_ram_mb:.0f} MB "
                f"(total {state.memory_mb} MB x {state.ram_allocation_ratio}, used {state.memory_mb_used} MB)")
