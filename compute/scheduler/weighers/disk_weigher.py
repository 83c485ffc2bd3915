from core.scheduling import BaseWeigher


class DiskWeigher(BaseWeigher):
    """Free local disk (GB; normalisation makes the unit irrelevant)."""

    multiplier_setting = "SCHEDULER_DISK_WEIGHT_MULTIPLIER"

    def weigh(self, state, spec):
        return state.free_disk_gb

    def weigh_all(self, states, spec):
        return [s.free_disk_gb for s in states]
