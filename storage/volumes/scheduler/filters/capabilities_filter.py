from core.scheduling import BaseFilter, extra_specs_ops


class CapabilitiesFilter(BaseFilter):
    """The volume type's extra specs against the pool's capabilities.

    Unscoped keys (`volume_backend_name`, `thin_provisioning_support`, …) and `capabilities:`-scoped
    keys are matched with the shared operators ('<is> True', '>= 10', '<in> ssd', …); keys scoped for
    other consumers (`qos:`, `hw:` …) are not the scheduler's business."""

    run_filter_once_per_request = True

    @staticmethod
    def _requirements(spec):
        for key, value in (spec.extra_specs or {}).items():
            scope, _, name = key.partition(":")
            if not name:
                yield key, value
            elif scope == "capabilities":
                yield name, value

    def applies(self, spec):
        return any(True for _ in self._requirements(spec))

    @staticmethod
    def _value(state, key):
        if key in state.capabilities:
            return state.capabilities[key]
        if key == "thin_provisioning_support":
            return state.thin_provisioning_support
        if key == "volume_backend_name":
            return state.backend_name
        return None

    def passes(self, state, spec):
        for key, wanted in self._requirements(spec):
            value = self._value(state, key)
            wanted_text = str(wanted)
            if wanted_text.startswith("<is> "):
                if str(value).lower() != wanted_text[5:].strip().lower():
                    return False
                continue
            if value is None or not extra_specs_ops.match(str(value), wanted_text):
                return False
        return True

    def explain(self, state, spec):
        missed = [f"{k}={v!r} (has {self._value(state, k)!r})" for k, v in self._requirements(spec)]
        return "wants " + ", ".join(missed)
