"""The network service layer: the only code that changes network rows."""

from network.services.ports import (allocate_for_instance, bind_port, deallocate_for_instance,
                                    port_info_for_instances, ports_for_instance)

__all__ = ["allocate_for_instance", "bind_port", "deallocate_for_instance", "port_info_for_instances",
           "ports_for_instance"]
