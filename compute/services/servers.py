"""Servers: create, list, show, update, delete and every action, as Nova's API layer does them.

Each function checks policy, state and quota, writes the rows in one transaction and hands the work to
the conductor (flows that need scheduling or several hosts) or straight to the instance's host.
"""

import base64
import binascii
import logging
import re
import secrets
import time
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from compute.models import Flavor, Instance, InstanceFault, KeyPair, ServerGroup, ServerGroupMember
from compute.services import dispatch, hosts, states
from compute.services.common import check_int, check_metadata, check_name, enforce, is_uuid
from compute.services.flavors import get_flavor
from compute.services.instance_actions import record_action
from core import quotas
from core.api import paging
from core.exceptions import BadRequest, Conflict, NotFound, OverLimit

log = logging.getLogger("nebula.compute")

MAX_USER_DATA = 65535
SORT_KEYS = {"created_at", "updated_at", "name", "display_name", "id", "uuid", "vm_state", "task_state",
             "power_state", "host", "launched_at"}


# -- lookups ---------------------------------------------------------------------------------

def _faults_prefetch():
    return Prefetch("faults", queryset=InstanceFault.objects.order_by("-created_at", "-id"), to_attr="fault_rows")


def server_queryset():
    return Instance.objects.select_related("flavor").prefetch_related(_faults_prefetch())


def get_server(ctx, server_id, for_update=False, action="os_compute_api:servers:show"):
    """The caller's server (any server for admin); another project's server is a 404."""
    queryset = Instance.objects.filter(id=str(server_id), deleted=False)
    if not ctx.is_admin:
        queryset = queryset.filter(project_id=ctx.project_id)
    if for_update:
        ids = list(queryset.values_list("id", flat=True))
        instance = Instance.objects.select_for_update().filter(id__in=ids).select_related("flavor").first()
    else:
        instance = server_queryset().filter(pk__in=queryset.values("pk")).first() if is_uuid(server_id) else None
    if instance is None:
        raise NotFound(f"Instance {server_id} could not be found.")
    enforce(ctx, action, {"project_id": instance.project_id, "user_id": instance.user_id})
    return instance


def server_names(ctx, server_ids):
    """{server id: name} for the caller's servers among server_ids (any project's for admin), one query."""
    enforce(ctx, "os_compute_api:servers:index")
    queryset = Instance.objects.filter(id__in=[str(i) for i in server_ids], deleted=False)
    if not ctx.is_admin:
        queryset = queryset.filter(project_id=ctx.project_id)
    return dict(queryset.values_list("id", "name"))


def _status_q(status):
    pairs = states.states_from_status(status)
    if not pairs:
        return Q(pk__in=[])
    condition = Q()
    for vm_state, task in pairs:
        if task is None:
            overridden = [t for t in states.STATE_MAP[vm_state] if t != "default"]
            condition |= Q(vm_state=vm_state) & (Q(task_state__isnull=True) | ~Q(task_state__in=overridden))
        else:
            condition |= Q(vm_state=vm_state, task_state=task)
    return condition


def list_servers(ctx, filters=None, limit=None, marker=None, sort=None):
    """(servers, has_more). Filters: name (regex), status, image, flavor, changes-since, host, all_tenants,
    project_id/tenant_id, ip, deleted, reservation_id, availability_zone, locked."""
    enforce(ctx, "os_compute_api:servers:index")
    filters = dict(filters or {})
    # What no list shows stays in the database (console logs and user data can be large).
    queryset = server_queryset().defer("console_log", "user_data", "key_data", "request_spec", "alternates")
    all_tenants = str(filters.pop("all_tenants", "")).lower() not in ("", "0", "false", "no")
    project = filters.pop("project_id", None) or filters.pop("tenant_id", None)
    if all_tenants or (project and ctx.is_admin):
        enforce(ctx, "os_compute_api:servers:index:get_all_tenants")
        if project:
            queryset = queryset.filter(project_id=project)
    else:
        queryset = queryset.filter(project_id=ctx.project_id)
    changes_since = filters.pop("changes-since", None) or filters.pop("changes_since", None)
    deleted = str(filters.pop("deleted", "false")).lower() in ("true", "1", "yes")
    if changes_since:
        when = parse_datetime(changes_since.replace(" ", "+"))
        if when is None:
            raise BadRequest(f"Invalid filter field: changes-since. Value: {changes_since}")
        queryset = queryset.filter(updated_at__gte=when)
    elif deleted and ctx.is_admin:
        queryset = queryset.filter(deleted=True)
    else:
        queryset = queryset.filter(deleted=False)
    if "name" in filters:
        try:
            re.compile(filters["name"])
        except re.error:
            raise BadRequest(f"Invalid regular expression for name: {filters['name']}") from None
        queryset = queryset.filter(name__regex=filters.pop("name"))
    if "status" in filters:
        queryset = queryset.filter(_status_q(filters.pop("status")))
    if "image" in filters:
        queryset = queryset.filter(image_ref=filters.pop("image").rstrip("/").rsplit("/", 1)[-1])
    if "flavor" in filters:
        queryset = queryset.filter(flavor__flavorid=filters.pop("flavor").rstrip("/").rsplit("/", 1)[-1])
    for key in ("host", "node"):
        if key in filters:
            if not ctx.is_admin:
                filters.pop(key)
                continue
            queryset = queryset.filter(**{key: filters.pop(key)})
    if "reservation_id" in filters:
        queryset = queryset.filter(reservation_id=filters.pop("reservation_id"))
    if "availability_zone" in filters:
        queryset = queryset.filter(availability_zone=filters.pop("availability_zone"))
    if "locked" in filters:
        queryset = queryset.filter(locked=str(filters.pop("locked")).lower() in ("true", "1"))
    sort = sort or [("created_at", "desc")]
    sort = [("name" if k == "display_name" else "id" if k == "uuid" else k, d) for k, d in sort]
    rows, has_more = paging.paginate(queryset, limit, marker, sort)
    ip = filters.get("ip")
    if ip:
        try:
            pattern = re.compile(ip)
        except re.error:
            raise BadRequest(f"Invalid regular expression for ip: {ip}") from None
        rows = [r for r in rows if any(pattern.search(fip.get("ip_address", ""))
                                       for vif in r.network_info for fip in vif.get("fixed_ips", []))]
    return rows, has_more


# -- create ----------------------------------------------------------------------------------

def _image_id(image_ref, block_device_mapping):
    if image_ref:
        return str(image_ref).rstrip("/").rsplit("/", 1)[-1]
    for bdm in block_device_mapping or []:
        if bdm.get("source_type") == "image" and str(bdm.get("boot_index", "0")) in ("0", "None"):
            return str(bdm.get("uuid") or "")
    return ""


def _block_device_mapping(value):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(bdm, dict) for bdm in value):
        raise BadRequest("Invalid input for field/attribute block_device_mapping_v2. Value: "
                         f"{value!r}. It must be a list of objects.")
    return value


def _boot_volume(ctx, image_ref, block_device_mapping, flavor, max_count):
    """The root volume of a boot from volume (a boot_index 0 mapping with destination_type volume), as
    Nova checks it: (block_devices for the request spec, image metadata), or None to boot from an image.

    An existing volume must be the caller's and `available`; an image source needs a volume_size, and
    the conductor creates that volume before the build goes to a host."""
    root = next((bdm for bdm in block_device_mapping if str(bdm.get("boot_index")) == "0"
                 and bdm.get("destination_type") == "volume"), None)
    if root is None:
        return None
    delete = root.get("delete_on_termination", False)
    if delete not in (True, False, "True", "true", "False", "false", "1", "0"):
        raise BadRequest(f"Invalid input for field/attribute delete_on_termination. Value: {delete}.")
    block_device = {"boot_index": 0, "destination_type": "volume", "source_type": root.get("source_type"),
                    "delete_on_termination": delete in (True, "True", "true", "1"), "device_name": "/dev/vda"}
    source = root.get("source_type")
    if source == "volume":
        from storage.volumes.services import volumes as volume_services

        volume_id = root.get("uuid") or root.get("volume_id")
        if max_count > 1:
            raise BadRequest("Unable to launch multiple instances with a single configured volume ID.")
        try:
            volume = volume_services.get_volume(ctx, volume_id) if is_uuid(volume_id) else None
        except NotFound:
            volume = None
        if volume is None:
            raise BadRequest(f"Block Device Mapping is Invalid: failed to get volume {volume_id}.")
        if volume.status != "available":
            raise BadRequest(f"Invalid volume: volume '{volume.id}' status must be 'available'. Currently in "
                             f"'{volume.status}'")
        block_device.update(volume_id=volume.id, uuid=volume.id, volume_size=volume.size)
        return [block_device], _volume_image(ctx, volume.image_metadata or {})
    if source == "image":
        image_id = str(root.get("uuid") or image_ref or "").rstrip("/").rsplit("/", 1)[-1]
        size = root.get("volume_size")
        try:
            size = int(size) if size not in (None, "") and not isinstance(size, bool) else 0
        except (TypeError, ValueError):
            raise BadRequest(f"Invalid input for field/attribute volume_size. Value: {size}.") from None
        if size <= 0:
            raise BadRequest("Images with destination_type 'volume' need to have a non-zero size specified")
        image = _image_for_boot(ctx, image_id, flavor, check_disk=False)
        min_disk = int(image.get("min_disk") or 0)
        if size < min_disk:
            raise BadRequest(f"Volume is smaller than the minimum size specified in image metadata. Volume size is "
                             f"{size * 1024 ** 3} bytes, minimum size is {min_disk * 1024 ** 3} bytes.")
        block_device.update(uuid=image["id"], image_id=image["id"], volume_size=size)
        return [block_device], image
    raise BadRequest(f"Block Device Mapping is Invalid: booting from source_type {source!r} with destination_type "
                     "'volume' is not supported; use 'volume' or 'image'.")


def _volume_image(ctx, image_metadata):
    """The image a volume was made from (its kernel and ramdisk matter for the boot), or what the volume
    kept of it (Cinder's volume_image_metadata) when the image is gone."""
    from storage.images import services as image_services

    image_id = image_metadata.get("image_id")
    if image_id and is_uuid(image_id):
        try:
            return image_services.image_for_boot(ctx, image_id)
        except (NotFound, BadRequest):
            pass
    properties = {k: v for k, v in image_metadata.items() if k not in ("image_id", "image_name", "checksum", "size")}
    return {"id": image_id or "", "name": image_metadata.get("image_name", ""),
            "disk_format": image_metadata.get("disk_format", "raw"), "properties": properties}


def _image_for_boot(ctx, image_id, flavor, check_disk=True):
    if not image_id:
        raise BadRequest("Missing imageRef attribute")
    from storage.images import services as image_services

    try:
        image = image_services.image_for_boot(ctx, image_id)
    except NotFound:
        raise BadRequest(f"Image {image_id} could not be found.") from None
    if image.get("status") != "active":
        raise BadRequest(f"Image {image_id} is not active.")
    if flavor.memory_mb < int(image.get("min_ram") or 0):
        raise BadRequest("Flavor's memory is too small for requested image.")
    if check_disk and flavor.root_gb and flavor.root_gb < int(image.get("min_disk") or 0):
        raise BadRequest("Flavor's disk is too small for requested image.")
    return image


def _requested_networks(networks):
    """[{"uuid"|"port"|"fixed_ip"}] or "auto" / "none" (the string forms of microversion 2.37)."""
    if networks is None:
        return "auto"
    if networks in ("auto", "none"):
        return networks
    if not isinstance(networks, list):
        raise BadRequest("Invalid input for field/attribute networks: must be a list, 'auto' or 'none'.")
    result = []
    for item in networks:
        if not isinstance(item, dict):
            raise BadRequest("Invalid input for field/attribute networks: each item must be an object.")
        unknown = set(item) - {"uuid", "port", "fixed_ip", "tag"}
        if unknown:
            raise BadRequest(f"Invalid input for field/attribute networks: unexpected {sorted(unknown)}.")
        request = {}
        if item.get("port"):
            if not is_uuid(item["port"]):
                raise BadRequest(f"Bad port format: port uuid is not in proper format ({item['port']})")
            request["port"] = str(item["port"])
        if item.get("uuid"):
            if not is_uuid(item["uuid"]):
                raise BadRequest(f"Bad networks format: network uuid is not in proper format ({item['uuid']})")
            request["uuid"] = str(item["uuid"])
        if item.get("fixed_ip"):
            import ipaddress

            try:
                ipaddress.ip_address(item["fixed_ip"])
            except ValueError:
                raise BadRequest(f"Invalid fixed IP address ({item['fixed_ip']})") from None
            request["fixed_ip"] = item["fixed_ip"]
        if not request.get("uuid") and not request.get("port"):
            raise BadRequest("Bad networks format: a network needs a uuid or a port.")
        result.append(request)
    return result


def _user_data(value):
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest("Invalid input for field/attribute user_data: it must be a base64 string.")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest("User data needs to be valid base 64.") from None
    if len(raw) > MAX_USER_DATA:
        raise BadRequest(f"User data too large. User data must be no larger than {MAX_USER_DATA} bytes once "
                         "base64 encoded.")
    return value


def _security_groups(value):
    if value is None:
        return [{"name": "default"}]
    if not isinstance(value, list) or not all(isinstance(g, dict) and isinstance(g.get("name"), str)
                                              for g in value):
        raise BadRequest("Invalid input for field/attribute security_groups: a list of {name} objects.")
    return [{"name": g["name"]} for g in value]


def _server_group(ctx, hints):
    if not hints:
        return None
    if not isinstance(hints, dict):
        raise BadRequest("os:scheduler_hints must be an object")
    group_id = hints.get("group")
    if not group_id:
        return None
    group = ServerGroup.objects.filter(id=str(group_id)).first() if is_uuid(group_id) else None
    if group is None or (group.project_id != ctx.project_id and not ctx.is_admin):
        raise BadRequest(f"Invalid server group {group_id}")
    return group


def _admin_pass(value):
    return value if isinstance(value, str) and value else secrets.token_urlsafe(9)


def _check_zone(ctx, zone):
    if zone is None:
        return None, None
    if not isinstance(zone, str) or not zone:
        raise BadRequest("Invalid input for field/attribute availability_zone.")
    forced_host = None
    if ":" in zone:
        zone, _, forced_host = zone.partition(":")
        forced_host = forced_host.split(":")[0] or None
        if forced_host:
            enforce(ctx, "os_compute_api:servers:create:forced_host")
    zone = zone or None
    if zone and zone not in hosts.availability_zone_names():
        raise BadRequest(f"The requested availability zone is not available: {zone}")
    return zone, forced_host


def create_server(ctx, name, flavor_ref, image_ref=None, networks=None, block_device_mapping=None,
                  key_name=None, user_data=None, metadata=None, availability_zone=None, security_groups=None,
                  config_drive=False, min_count=1, max_count=None, scheduler_hints=None, admin_pass=None,
                  access_ip_v4=None, access_ip_v6=None, description=None):
    """Validate, reserve quota, write the Instance rows (BUILD/scheduling) and their actions, hand the
    build to the conductor. Returns (instances, admin password)."""
    enforce(ctx, "os_compute_api:servers:create")
    check_name(name)
    min_count = check_int(min_count if min_count is not None else 1, "min_count", 1, 1000)
    max_count = check_int(max_count if max_count is not None else min_count, "max_count", 1, 1000)
    if min_count > max_count:
        raise BadRequest("min_count must be <= max_count")
    if flavor_ref in (None, ""):
        raise BadRequest("Missing flavorRef attribute")
    try:
        flavor = get_flavor(ctx, str(flavor_ref).rstrip("/").rsplit("/", 1)[-1])
    except NotFound:
        raise BadRequest(f"Flavor {flavor_ref} could not be found.") from None
    if flavor.disabled:
        raise BadRequest(f"Flavor {flavor_ref} is disabled.")
    requested = _requested_networks(networks)
    if requested != "none" and max_count > 1 and any(r.get("port") for r in requested if isinstance(r, dict)):
        raise BadRequest("Unable to launch multiple instances with a single configured port ID.")
    block_device_mapping = _block_device_mapping(block_device_mapping)
    boot_volume = _boot_volume(ctx, image_ref, block_device_mapping, flavor, max_count)
    if boot_volume is None:
        block_devices, image = [], _image_for_boot(ctx, _image_id(image_ref, block_device_mapping), flavor)
    else:
        block_devices, image = boot_volume
    metadata = check_metadata(metadata or {})
    limit = quotas.limits(ctx.project_id, "compute").get("metadata_items", quotas.UNLIMITED)
    if limit != quotas.UNLIMITED and len(metadata) > limit:
        raise OverLimit("Quota exceeded for metadata_items: Requested "
                        f"{len(metadata)}, but already used 0 of {limit} metadata_items")
    key_data = None
    if key_name is not None:
        keypair = KeyPair.objects.filter(user_id=ctx.user_id, name=key_name).first()
        if keypair is None:
            raise BadRequest("Invalid key_name provided.")
        key_data = keypair.public_key
    user_data = _user_data(user_data)
    groups = _security_groups(security_groups)
    group = _server_group(ctx, scheduler_hints)
    zone, forced_host = _check_zone(ctx, availability_zone)
    if not isinstance(config_drive, bool) and config_drive not in ("", "True", "true", "False", "false", None):
        raise BadRequest("Invalid input for field/attribute config_drive.")
    config_drive = config_drive in (True, "True", "true")

    password = _admin_pass(admin_pass)
    reservation = f"r-{uuid.uuid4().hex[:8]}"
    count = max_count
    while True:
        try:
            instances = _create_instances(ctx, count, name, flavor, image, key_name, key_data, user_data, metadata,
                                          groups, requested, zone, config_drive, reservation, access_ip_v4,
                                          access_ip_v6, forced_host, group, scheduler_hints, block_devices)
            break
        except OverLimit as error:
            resource = getattr(error, "resource", None)
            if resource is None or count <= min_count:
                raise
            # Boot as many as fit (Nova's min_count..max_count), from the numbers of the refusal.
            per_instance = {"instances": 1, "cores": flavor.vcpus, "ram": flavor.memory_mb}.get(resource, 1)
            fits = (error.limit - error.in_use) // per_instance if per_instance else count - 1
            if fits < min_count:
                raise
            count = min(count - 1, fits)
    return instances, password


def _create_instances(ctx, count, name, flavor, image, key_name, key_data, user_data, metadata, groups, requested,
                      zone, config_drive, reservation, access_ip_v4, access_ip_v6, forced_host, group,
                      scheduler_hints, block_devices=()):
    instances = []
    with quotas.reserve(ctx.project_id, instances=count, cores=count * flavor.vcpus,
                        ram=count * flavor.memory_mb):
        if group is not None:
            members = ServerGroupMember.objects.filter(group=group).count()
            limit = quotas.limits(ctx.project_id, "compute").get("server_group_members", quotas.UNLIMITED)
            if limit != quotas.UNLIMITED and members + count > limit:
                raise OverLimit("Quota exceeded, too many servers in group")
        now = timezone.now()
        for index in range(count):
            instance_name = name if count == 1 else f"{name}-{index + 1}"
            instance = Instance.objects.create(
                name=instance_name, project_id=ctx.project_id, user_id=ctx.user_id, flavor=flavor,
                # Booted from a volume: no image of its own (Nova renders "image": ""), the volume's image
                # metadata still rides along for the boot (kernel, ramdisk, disk bus).
                flavor_info=flavor.as_dict(), image_ref="" if block_devices else image["id"], image_info=image,
                key_name=key_name,
                key_data=key_data, user_data=user_data, metadata=metadata, security_groups=groups,
                requested_networks=requested if isinstance(requested, list) else [requested],
                vm_state=states.BUILDING, task_state=states.SCHEDULING, requested_availability_zone=zone,
                availability_zone=zone, config_drive=config_drive, reservation_id=reservation,
                launch_index=index, access_ip_v4=access_ip_v4 or "", access_ip_v6=access_ip_v6 or "",
                request_spec={"forced_host": forced_host, "group": group.id if group else None,
                              "scheduler_hints": scheduler_hints or {},
                              "block_devices": [dict(bdm) for bdm in block_devices]},
                task_started_at=now, created_at=now)
            if group is not None:
                ServerGroupMember.objects.create(group=group, instance=instance)
            record_action(ctx, instance, "create")
            instances.append(instance)
        dispatch.to_conductor("build_instances", [i.id for i in instances], ctx.request_id)
    return instances


# -- update / delete -------------------------------------------------------------------------

def update_server(ctx, server_id, name=None, access_ip_v4=None, access_ip_v6=None):
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:servers:update")
        if name is not None:
            instance.name = check_name(name)
        if access_ip_v4 is not None:
            instance.access_ip_v4 = access_ip_v4
        if access_ip_v6 is not None:
            instance.access_ip_v6 = access_ip_v6
        instance.save()
    return get_server(ctx, server_id)


def update_metadata(ctx, server_id, metadata, replace=False):
    check_metadata(metadata)
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:server-metadata:update")
        _check_lock(ctx, instance)
        instance.metadata = dict(metadata) if replace else {**instance.metadata, **metadata}
        limit = quotas.limits(instance.project_id, "compute").get("metadata_items", quotas.UNLIMITED)
        if limit != quotas.UNLIMITED and len(instance.metadata) > limit:
            raise OverLimit("Quota exceeded for metadata_items")
        instance.save(update_fields=["metadata", "updated_at"])
    return instance.metadata


def delete_metadata_item(ctx, server_id, key):
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:server-metadata:delete")
        _check_lock(ctx, instance)
        if key not in instance.metadata:
            raise NotFound(f"Metadata item was not found: {key}")
        del instance.metadata[key]
        instance.save(update_fields=["metadata", "updated_at"])


def delete_server(ctx, server_id):
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:servers:delete")
        _check_lock(ctx, instance)
        if instance.task_state == states.DELETING:
            return
        record_action(ctx, instance, "delete")
        previous_task = instance.task_state
        instance.task_state = states.DELETING
        instance.task_started_at = timezone.now()
        instance.save(update_fields=["task_state", "task_started_at", "updated_at"])
        if instance.host and hosts.host_is_up(instance.host):
            dispatch.to_host(instance.host, "terminate_instance", dispatch.payload(instance), ctx.request_id)
        elif previous_task == states.SCHEDULING and instance.vm_state == states.BUILDING:
            pass  # the conductor's build sees `deleting` after its claim and cleans up itself
        else:
            # No host, or a dead one: Nova's local delete. The conductor frees ports and claims.
            dispatch.to_conductor("instance_terminated", instance.id, instance.host, ctx.request_id, None)


# -- actions ---------------------------------------------------------------------------------

# action -> (policy, allowed vm_states, task_state while it runs, instance action name)
HOST_ACTIONS = {
    "stop": ("os_compute_api:servers:stop", {states.ACTIVE, states.ERROR, states.RESCUED}, states.POWERING_OFF,
             "stop"),
    "start": ("os_compute_api:servers:start", {states.STOPPED}, states.POWERING_ON, "start"),
    "reboot_soft": ("os_compute_api:servers:reboot", {states.ACTIVE, states.STOPPED, states.PAUSED,
                                                      states.SUSPENDED, states.ERROR}, states.REBOOTING, "reboot"),
    "reboot_hard": ("os_compute_api:servers:reboot", {states.ACTIVE, states.STOPPED, states.PAUSED,
                                                      states.SUSPENDED, states.ERROR}, states.REBOOTING_HARD,
                    "reboot"),
    "pause": ("os_compute_api:os-pause-server:pause", {states.ACTIVE}, states.PAUSING, "pause"),
    "unpause": ("os_compute_api:os-pause-server:unpause", {states.PAUSED}, states.UNPAUSING, "unpause"),
    "suspend": ("os_compute_api:os-suspend-server:suspend", {states.ACTIVE}, states.SUSPENDING, "suspend"),
    "resume": ("os_compute_api:os-suspend-server:resume", {states.SUSPENDED}, states.RESUMING, "resume"),
    "rebuild": ("os_compute_api:servers:rebuild", {states.ACTIVE, states.STOPPED, states.ERROR},
                states.REBUILDING, "rebuild"),
}


def _refuse_volume_backed(instance, action):
    """Rebuild (a new root image) and createImage (a snapshot of the root volume with a block device
    mapping image) of a server booted from a volume are not built: refused rather than half done."""
    if (instance.request_spec or {}).get("block_devices"):
        raise BadRequest(f"Cannot '{action}' instance {instance.id}: it is volume-backed, which this cloud does not "
                         "support for this action yet (snapshot its volume instead).")


def _check_lock(ctx, instance):
    if instance.locked and not ctx.is_admin:
        raise Conflict(f"Instance {instance.id} is locked")


def _check_state(instance, action, allowed, allow_task=False):
    if instance.vm_state not in allowed:
        raise Conflict(f"Cannot '{action}' instance {instance.id} while it is in vm_state {instance.vm_state}")
    if instance.task_state is not None and not allow_task:
        raise Conflict(f"Cannot '{action}' instance {instance.id} while it is in task_state {instance.task_state}")


def _begin(ctx, server_id, policy_name, allowed, action, task_state):
    instance = get_server(ctx, server_id, for_update=True, action=policy_name)
    _check_lock(ctx, instance)
    _check_state(instance, action, allowed)
    if not instance.host:
        raise Conflict(f"Cannot '{action}' instance {instance.id}: it has no host.")
    instance.task_state = task_state
    instance.task_started_at = timezone.now()
    instance.save(update_fields=["task_state", "task_started_at", "updated_at"])
    record_action(ctx, instance, action)
    return instance


def host_action(ctx, server_id, operation, params=None):
    """stop, start, reboot_soft/hard, pause, unpause, suspend, resume: one hop to the instance's host."""
    policy_name, allowed, task_state, action = HOST_ACTIONS[operation]
    with transaction.atomic():
        instance = _begin(ctx, server_id, policy_name, allowed, action, task_state)
        dispatch.to_host(instance.host, "operate", dispatch.payload(instance), operation, params or {},
                         ctx.request_id)
    return instance


def reboot(ctx, server_id, reboot_type):
    if not isinstance(reboot_type, str) or reboot_type.upper() not in ("SOFT", "HARD"):
        raise BadRequest("Argument 'type' for reboot must be a string with value 'SOFT' or 'HARD'.")
    return host_action(ctx, server_id, f"reboot_{reboot_type.lower()}")


def rebuild(ctx, server_id, image_ref, name=None, metadata=None, admin_pass=None):
    policy_name, allowed, task_state, action = HOST_ACTIONS["rebuild"]
    if not image_ref:
        raise BadRequest("Missing imageRef attribute")
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action=policy_name)
        _refuse_volume_backed(instance, "rebuild")
        image = _image_for_boot(ctx, str(image_ref).rstrip("/").rsplit("/", 1)[-1], instance.flavor)
        instance = _begin(ctx, server_id, policy_name, allowed, action, task_state)
        if name is not None:
            instance.name = check_name(name)
        if metadata is not None:
            instance.metadata = check_metadata(metadata)
        instance.image_ref, instance.image_info = image["id"], image
        instance.save()
        dispatch.to_host(instance.host, "operate", dispatch.payload(instance), "rebuild", {"image": image},
                         ctx.request_id)
    return instance, _admin_pass(admin_pass)


def set_lock(ctx, server_id, locked, reason=None):
    with transaction.atomic():
        action = "lock" if locked else "unlock"
        instance = get_server(ctx, server_id, for_update=True, action=f"os_compute_api:os-lock-server:{action}")
        if not locked and instance.locked_by == "admin" and not ctx.is_admin:
            raise Conflict(f"Instance {instance.id} is locked by an administrator")
        instance.locked = locked
        instance.locked_by = ("admin" if ctx.is_admin and instance.project_id != ctx.project_id else "owner") \
            if locked else None
        instance.save(update_fields=["locked", "locked_by", "updated_at"])
        record_action(ctx, instance, action)
    return instance


def resize(ctx, server_id, flavor_ref):
    if flavor_ref in (None, ""):
        raise BadRequest("Resize requires a flavor change. flavorRef is missing.")
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:servers:resize")
        _check_lock(ctx, instance)
        _check_state(instance, "resize", {states.ACTIVE, states.STOPPED})
        try:
            flavor = get_flavor(ctx, str(flavor_ref).rstrip("/").rsplit("/", 1)[-1])
        except NotFound:
            raise BadRequest(f"Flavor {flavor_ref} could not be found.") from None
        if flavor.pk == instance.flavor_id:
            raise BadRequest("When resizing, instances must change flavor!")
        if flavor.root_gb < instance.flavor.root_gb:
            raise BadRequest("Resize to a flavor with a smaller disk is not allowed.")
        with quotas.reserve(instance.project_id, cores=max(0, flavor.vcpus - instance.flavor.vcpus),
                            ram=max(0, flavor.memory_mb - instance.flavor.memory_mb)):
            instance.new_flavor = flavor
            return _start_migration(ctx, instance, "resize")


def migrate(ctx, server_id, host=None):
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:os-migrate-server:migrate")
        _check_state(instance, "migrate", {states.ACTIVE, states.STOPPED})
        if host is not None and not hosts.host_exists(host):
            raise BadRequest(f"Compute host {host} could not be found.")
        instance.new_flavor = instance.flavor
        instance.request_spec = {**instance.request_spec, "requested_destination": host}
        return _start_migration(ctx, instance, "migrate")


def _start_migration(ctx, instance, action):
    instance.task_state = states.RESIZE_PREP
    instance.task_started_at = timezone.now()
    instance.save()
    record_action(ctx, instance, action)
    dispatch.to_conductor("migrate_server", instance.id, action, ctx.request_id)
    return instance


def confirm_resize(ctx, server_id):
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:servers:confirm_resize")
        _check_lock(ctx, instance)
        _check_state(instance, "confirmResize", {states.RESIZED})
        instance.task_state = states.RESIZE_CONFIRMING
        instance.save(update_fields=["task_state", "updated_at"])
        record_action(ctx, instance, "confirmResize")
        dispatch.to_conductor("confirm_resize", instance.id, ctx.request_id)


def revert_resize(ctx, server_id):
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:servers:revert_resize")
        _check_lock(ctx, instance)
        _check_state(instance, "revertResize", {states.RESIZED})
        instance.task_state = states.RESIZE_REVERTING
        instance.save(update_fields=["task_state", "updated_at"])
        record_action(ctx, instance, "revertResize")
        dispatch.to_conductor("revert_resize", instance.id, ctx.request_id)


def create_image(ctx, server_id, name, metadata=None):
    """A snapshot: an image record now (queued), its data when the host has taken it. Returns the image id."""
    check_name(name)
    metadata = check_metadata(metadata or {})
    with transaction.atomic():
        instance = get_server(ctx, server_id, for_update=True, action="os_compute_api:servers:create_image")
        _check_lock(ctx, instance)
        _refuse_volume_backed(instance, "createImage")
        _check_state(instance, "createImage", {states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED})
        from storage.images import services as image_services

        base = instance.image_info or {}
        properties = {k: str(v) for k, v in (base.get("properties") or {}).items()}
        properties.update({"image_type": "snapshot", "instance_uuid": instance.id,
                           "base_image_ref": instance.image_ref, "owner_project_name": ctx.project_name or "",
                           "user_id": instance.user_id, **metadata})
        image = image_services.create_image(ctx, name=name, disk_format=base.get("disk_format") or "raw",
                                            container_format=base.get("container_format") or "bare",
                                            visibility="private", min_disk=instance.flavor.root_gb,
                                            min_ram=int(base.get("min_ram") or 0), **properties)
        image_id = str(getattr(image, "id", None) or image["id"])
        instance = _begin(ctx, server_id, "os_compute_api:servers:create_image",
                          {states.ACTIVE, states.STOPPED, states.PAUSED, states.SUSPENDED}, "createImage",
                          states.IMAGE_SNAPSHOT)
        dispatch.to_host(instance.host, "snapshot_instance", dispatch.payload(instance), image_id,
                         ctx.request_id)
    return image_id


def console_output(ctx, server_id, length=None):
    """What the guest printed: Nova asks the server's host; here the host is asked to send its console
    to the conductor and the answer waits briefly (COMPUTE_CONSOLE_WAIT) for the stored text to move.
    A host that is down or slow costs the reader nothing but freshness: the stored text is answered."""
    instance = get_server(ctx, server_id, action="os_compute_api:os-console-output")
    if instance.vm_state in (states.BUILDING, states.ERROR) and not instance.console_log:
        raise Conflict(f"Cannot 'get_console_output' instance {instance.id} while it is in vm_state "
                       f"{instance.vm_state}")
    if length is not None:
        length = check_int(length, "length", -1)
    console = _fresh_console(instance)
    lines = console.splitlines(keepends=True)
    if length is not None and length >= 0:
        lines = lines[-length:] if length else []
    return "".join(lines)


def _fresh_console(instance):
    if not instance.host or instance.vm_state == states.BUILDING or not hosts.host_is_up(instance.host):
        return instance.console_log
    before = instance.console_updated_at
    try:
        dispatch.to_host_now(instance.host, "refresh_console", {"id": instance.id, "host": instance.host},
                             None)
    except Exception:  # noqa: BLE001 - a broker hiccup must not cost the reader the stored console
        log.warning("could not ask %s for the console of %s", instance.host, instance.id, exc_info=True)
        return instance.console_log
    deadline = time.monotonic() + settings.COMPUTE_CONSOLE_WAIT
    fresh = Instance.objects.filter(id=instance.id).exclude(console_updated_at=before) if before else \
        Instance.objects.filter(id=instance.id, console_updated_at__isnull=False)
    while True:
        row = fresh.values_list("console_log", flat=True).first()
        if row is not None:
            return row
        if time.monotonic() >= deadline:
            return instance.console_log
        time.sleep(0.1)


def interfaces(ctx, server_id):
    instance = get_server(ctx, server_id, action="os_compute_api:os-attach-interfaces:list")
    return instance.network_info


# -- used by quotas --------------------------------------------------------------------------

def count_instances(project_id):
    return Instance.objects.filter(project_id=project_id, deleted=False).count()


def count_cores(project_id):
    from django.db.models import Sum

    return Instance.objects.filter(project_id=project_id, deleted=False).aggregate(
        n=Sum("flavor__vcpus"))["n"] or 0


def count_ram(project_id):
    from django.db.models import Sum

    return Instance.objects.filter(project_id=project_id, deleted=False).aggregate(
        n=Sum("flavor__memory_mb"))["n"] or 0


def flavor_for(flavor_id):
    return Flavor.objects.get(pk=flavor_id)
