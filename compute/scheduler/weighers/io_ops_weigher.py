from core.scheduling import BaseWeigher


class IoOpsWeigher(BaseWeigher):
    """Concurrent I/O-heavy tasks (builds, resizes, snapshots …); the default -1.0 prefers idle hosts."""

    multiplier_setting = "SCHEDULER_IO_OPS_WEIGHT_MULTIPLIER"
    default_multiplier = -1.0

    def weigh(self, state, spec):
        return state.num_io_ops

    def weigh_all(self, states, spec):
        return [s.num_io_ops for s in states]
