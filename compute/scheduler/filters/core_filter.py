from core.scheduling import BaseFilter


class CoreFilter(BaseFilter):
    """Enough vCPUs left after over-commit, and no more vCPUs than the host has physically."""

    def passes(self, state, spec):
        vcpus = spec.vcpus
        if state.vcpus and vcpus > state.vcpus:
            return False  # an instance can never use more vCPUs than the host's CPUs
        return state.vcpus * state.cpu_allocation_ratio - state.vcpus_used >= vcpus

    def filter_all(self, states, spec):
        need = spec.vcpus
        return [s for s in states
                if not (s.vcpus and need > s.vcpus) and s.vcpus * s.cpu_allocation_ratio - s.vcpus_used >= need]

    def explain(self, state, spec):
        return (f"needs {spec.vcpus} vCPUs, usable {state.usable_vcpus:g} "
                f"(total {state.vcpus} x {state.cpu_allocation_ratio}, used {state.vcpus_used})")
