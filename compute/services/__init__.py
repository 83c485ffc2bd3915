"""The compute service layer: the only code that changes compute state (DESIGN.md §2).

    from compute import services
    services.create_server(ctx, name=..., flavor_ref=..., image_ref=..., networks=[{"uuid": ...}])
"""

from compute.services.flavors import (  # noqa: F401
    add_flavor_access, create_flavor, delete_extra_spec, delete_flavor, flavor_access, get_flavor,
    remove_flavor_access, set_extra_specs, update_flavor, visible_flavors)
from compute.services.keypairs import create_keypair, delete_keypair, get_keypair, list_keypairs  # noqa: F401
from compute.services.servers import (  # noqa: F401
    confirm_resize, console_output, create_image, create_server, delete_metadata_item, delete_server,
    get_server, host_action, interfaces, list_servers, migrate, rebuild, reboot, resize, revert_resize,
    set_lock, update_metadata, update_server)
