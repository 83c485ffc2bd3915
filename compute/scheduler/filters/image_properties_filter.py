from compute.scheduler.host_state import canonical_arch, canonical_hv_type, canonical_vm_mode
from core.scheduling import BaseFilter


def requested_triple(image_properties):
    """(arch, hv_type, vm_mode) the image asks for, canonical; None where it asks nothing."""
    props = image_properties or {}
    return (
        canonical_arch(props.get("hw_architecture") or props.get("architecture")),
        canonical_hv_type(props.get("img_hv_type") or props.get("hypervisor_type")),
        canonical_vm_mode(props.get("hw_vm_mode") or props.get("vm_mode")),
    )


def _fits(wanted, supported_instances):
    return any(all(w is None or w == s for w, s in zip(wanted, triple)) for triple in supported_instances)


class ImagePropertiesFilter(BaseFilter):
    """The host supports the image's architecture, hypervisor type and VM mode.

    A host advertises (arch, hv_type, vm_mode) triples; the image fits when one triple matches
    every property the image sets. An image that sets none fits every host; a host that
    advertises nothing fits only such images (Nova's rule).
    """

    run_filter_once_per_request = True

    def applies(self, spec):
        return any(requested_triple(spec.image_properties))

    def passes(self, state, spec):
        return _fits(requested_triple(spec.image_properties), state.supported_instances)

    def filter_all(self, states, spec):
        wanted = requested_triple(spec.image_properties)
        # Hosts share their supported_instances objects: decide each distinct one once.
        distinct = {id(s.supported_instances): s.supported_instances for s in states}
        fitting = {key for key, supported in distinct.items() if _fits(wanted, supported)}
        return [s for s in states if id(s.supported_instances) in fitting]

    def explain(self, state, spec):
        arch, hv_type, vm_mode = requested_triple(spec.image_properties)
        return (f"image wants arch={arch} hv_type={hv_type} vm_mode={vm_mode}, "
                f"host supports {state.supported_instances or 'nothing advertised'}")
