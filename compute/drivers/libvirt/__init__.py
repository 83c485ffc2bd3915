"""The libvirt compute driver (QEMU/KVM; libvirt's test driver in fast tests). See driver.py."""

from compute.drivers.libvirt.driver import LibvirtDriver

__all__ = ["LibvirtDriver"]
