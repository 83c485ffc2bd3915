from core.scheduling import BaseFilter


class CapacityFilter(BaseFilter):
    """Room for the volume: real free space (thick) or free space under the over-subscription ratio (thin).

    Thin pools must also keep some real free space: a pool whose disk is full takes nothing, whatever
    the ratio says (Cinder's rule)."""

    def passes(self, state, spec):
        if state.total_capacity_gb <= 0:
            return False
        real_free = state.free_capacity_gb - state.reserved_gb
        if state.thin_provisioning_support and state.max_over_subscription_ratio >= 1:
            return real_free > 0 and state.virtual_free_gb >= spec.size
        return real_free >= spec.size

    def explain(self, state, spec):
        return (f"requested {spec.size} GB; total {state.total_capacity_gb:.1f} GB, "
                f"free {state.free_capacity_gb:.1f} GB, "
                f"allocated {state.allocated_capacity_gb:.1f} GB, reserved {state.reserved_percentage}%, "
                f"ratio {state.max_over_subscription_ratio}, virtual free {state.virtual_free_gb:.1f} GB")
