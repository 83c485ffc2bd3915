from core.scheduling import BaseFilter


class ServerGroupAffinityFilter(BaseFilter):
    """Policy 'affinity': once a member has a host, every member goes to that host."""

    def applies(self, spec):
        group = spec.server_group
        return group is not None and group.policy == "affinity" and bool(group.hosts)

    def passes(self, state, spec):
        return state.host in spec.server_group.host_counts

    def explain(self, state, spec):
        return f"server group {spec.server_group.uuid or ''} (affinity) is on {sorted(spec.server_group.host_counts)}"
