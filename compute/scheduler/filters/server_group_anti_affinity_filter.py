from core.scheduling import BaseFilter


class ServerGroupAntiAffinityFilter(BaseFilter):
    """Policy 'anti-affinity': fewer than max_server_per_host members (rule, default 1) on the host."""

    def applies(self, spec):
        group = spec.server_group
        return group is not None and group.policy == "anti-affinity" and bool(group.hosts)

    @staticmethod
    def _limit(spec):
        return int((spec.server_group.rules or {}).get("max_server_per_host", 1))

    def passes(self, state, spec):
        return spec.server_group.host_counts.get(state.host, 0) < self._limit(spec)

    def explain(self, state, spec):
        count = spec.server_group.host_counts.get(state.host, 0)
        return (f"server group {spec.server_group.uuid or ''} (anti-affinity) has {count} member(s) on the "
                f"host, max_server_per_host {self._limit(spec)}")
