from core.scheduling import BaseWeigher


class CapacityWeigher(BaseWeigher):
    multiplier_setting = "TEST_CAPACITY_WEIGHT_MULTIPLIER"

    def weigh(self, state, spec):
        return state.free
