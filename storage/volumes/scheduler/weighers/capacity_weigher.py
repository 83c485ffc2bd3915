from core.scheduling import BaseWeigher


class CapacityWeigher(BaseWeigher):
    """More free capacity weighs more (spreading); a negative multiplier stacks instead.

    Thin pools count their free space under the over-subscription ratio, as the capacity filter does,
    so a thin pool with a high ratio is not starved by a thick one with more raw space."""

    multiplier_setting = "VOLUME_CAPACITY_WEIGHT_MULTIPLIER"

    def weigh(self, state, spec):
        return state.virtual_free_gb
