"""The default data plane: none. The API and IPAM are the whole service; every hook is a no-op,
which is right for clouds whose instances are test-driver or fake-driver guests."""

from network.drivers.base import NetworkDriver


class LogicalDriver(NetworkDriver):
    name = "logical"

    def __init__(self):
        # What the hooks were told, for operators and tests to inspect; bounded so it never grows.
        self.events = []

    def _record(self, event, ident):
        self.events.append((event, ident))
        del self.events[:-200]

    def network_created(self, network):
        self._record("network_created", network["id"])

    def network_deleted(self, network):
        self._record("network_deleted", network["id"])

    def port_created(self, port):
        self._record("port_created", port["id"])

    def port_bound(self, port, host):
        self._record("port_bound", port["id"])

    def port_deleted(self, port):
        self._record("port_deleted", port["id"])

    def router_updated(self, router):
        self._record("router_updated", router["id"])

    def floating_ip_updated(self, floating_ip):
        self._record("floating_ip_updated", floating_ip["id"])
