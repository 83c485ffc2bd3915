from core.scheduling import BaseWeigher


class ServerGroupSoftAntiAffinityWeigher(BaseWeigher):
    """Policy 'soft-anti-affinity': hosts with fewer members of the group weigh more."""

    multiplier_setting = "SCHEDULER_SOFT_ANTI_AFFINITY_WEIGHT_MULTIPLIER"

    def applies(self, spec):
        group = spec.server_group
        return group is not None and group.policy == "soft-anti-affinity" and bool(group.hosts)

    def weigh(self, state, spec):
        return -spec.server_group.host_counts.get(state.host, 0)

    def weigh_all(self, states, spec):
        counts = spec.server_group.host_counts
        return [-counts.get(s.host, 0) for s in states]
