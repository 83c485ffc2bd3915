from core.scheduling import BaseWeigher


class RAMWeigher(BaseWeigher):
    """Free RAM (MB): a positive multiplier spreads instances, a negative one stacks them."""

    multiplier_setting = "SCHEDULER_RAM_WEIGHT_MULTIPLIER"

    def weigh(self, state, spec):
        return state.memory_mb - state.memory_mb_used

    def weigh_all(self, states, spec):
        return [s.memory_mb - s.memory_mb_used for s in states]
