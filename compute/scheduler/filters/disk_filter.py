from core.scheduling import BaseFilter


class DiskFilter(BaseFilter):
    """Enough local disk after over-commit for root (unless boot from volume) + ephemeral + swap."""

    def applies(self, spec):
        return spec.disk_mb > 0

    def passes(self, state, spec):
        return state.usable_disk_mb >= spec.disk_mb

    def filter_all(self, states, spec):
        need = spec.disk_mb
        # usable_disk_mb inlined: local_gb x 1024 x ratio - (local_gb - free_disk_gb) x 1024
        return [s for s in states
                if (s.local_gb * s.disk_allocation_ratio - s.local_gb + s.free_disk_gb) * 1024 >= need]

    def explain(self, state, spec):
        return (f"needs {spec.disk_mb} MB disk, usable {state.usable_disk_mb:.0f} MB "
                f"(total {state.local_gb} GB x {state.disk_allocation_ratio}, free {state.free_disk_gb:g} GB)")
