from compute.scheduler.filters.image_properties_filter import ImagePropertiesFilter
from compute.scheduler.tests.factories import host, passing, spec

KVM_X86 = [("x86_64", "kvm", "hvm"), ("i686", "kvm", "hvm")]
QEMU_ARM = [("aarch64", "qemu", "hvm")]


def states():
    return [host("x86", supported_instances=KVM_X86), host("arm", supported_instances=QEMU_ARM),
            host("silent", supported_instances=[])]


def test_image_without_properties_fits_every_host():
    assert not ImagePropertiesFilter().applies(spec(image_properties={"os_distro": "cirros"}))


def test_architecture():
    flt = ImagePropertiesFilter()
    assert passing(flt, states(), spec(image_properties={"hw_architecture": "aarch64"})) == ["arm"]
    # Aliases are canonicalised as Nova does: amd64 is x86_64, i386 is i686.
    assert passing(flt, states(), spec(image_properties={"hw_architecture": "amd64"})) == ["x86"]
    assert passing(flt, states(), spec(image_properties={"architecture": "i386"})) == ["x86"]


def test_hypervisor_type_and_vm_mode_must_match_one_triple():
    flt = ImagePropertiesFilter()
    assert passing(flt, states(), spec(image_properties={"img_hv_type": "qemu"})) == ["arm"]
    assert passing(flt, states(), spec(image_properties={"hw_vm_mode": "hv"})) == ["x86", "arm"]
    assert passing(flt, states(), spec(image_properties={"hw_architecture": "x86_64", "img_hv_type": "qemu"})) == []
    assert passing(flt, states(), spec(image_properties={"hw_vm_mode": "xen"})) == []


def test_host_advertising_nothing_fits_only_plain_images():
    flt = ImagePropertiesFilter()
    assert "silent" not in passing(flt, states(), spec(image_properties={"hw_vm_mode": "hvm"}))


def test_explain():
    text = ImagePropertiesFilter().explain(host("arm", supported_instances=QEMU_ARM),
                                           spec(image_properties={"hw_architecture": "x86_64"}))
    assert "x86_64" in text and "aarch64" in text
