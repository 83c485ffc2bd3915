"""The tiny bootable image Nebula builds at set-up from Debian packages (a cirros-like guest)."""
