from core.scheduling import BaseWeigher


class CPUWeigher(BaseWeigher):
    """Free vCPUs after over-commit: vcpus x cpu_allocation_ratio - vcpus_used."""

    multiplier_setting = "SCHEDULER_CPU_WEIGHT_MULTIPLIER"

    def weigh(self, state, spec):
        return state.vcpus * state.cpu_allocation_ratio - state.vcpus_used

    def weigh_all(self, states, spec):
        return [s.vcpus * s.cpu_allocation_ratio - s.vcpus_used for s in states]
