"""Nova's response bodies (microversion 2.1 shapes, as Tempest's schemas want them)."""

import hashlib
import ipaddress

from compute.services import states

TIME = "%Y-%m-%dT%H:%M:%SZ"


def ts(value):
    return value.strftime(TIME) if value else None


def base_url(request):
    return f"{request.scheme}://{request.get_host()}/compute"


def links(request, collection, ident, project_id=None):
    base = base_url(request)
    return [{"rel": "self", "href": f"{base}/v2.1/{collection}/{ident}"},
            {"rel": "bookmark", "href": f"{base}/{collection}/{ident}"}]


def collection_links(request, collection, rows, has_more, marker_of=lambda r: r.id):
    if not has_more or not rows:
        return None
    query = request.GET.copy()
    query["marker"] = marker_of(rows[-1])
    return [{"rel": "next", "href": f"{base_url(request)}/v2.1/{collection}?{query.urlencode()}"}]


# -- flavors -----------------------------------------------------------------------------------

def flavor_brief(request, flavor):
    return {"id": flavor.flavorid, "name": flavor.name, "links": links(request, "flavors", flavor.flavorid)}


def flavor(request, flavor):
    return {"id": flavor.flavorid, "name": flavor.name, "ram": flavor.memory_mb, "vcpus": flavor.vcpus,
            "disk": flavor.root_gb, "swap": flavor.swap or "", "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral_gb,
            "OS-FLV-DISABLED:disabled": flavor.disabled, "os-flavor-access:is_public": flavor.is_public,
            "rxtx_factor": flavor.rxtx_factor, "links": links(request, "flavors", flavor.flavorid)}


# -- keypairs ----------------------------------------------------------------------------------

def keypair_brief(keypair):
    return {"name": keypair.name, "public_key": keypair.public_key, "fingerprint": keypair.fingerprint}


def keypair(keypair):
    return {**keypair_brief(keypair), "user_id": keypair.user_id, "id": keypair.id,
            "created_at": ts(keypair.created_at), "deleted": False, "deleted_at": None, "updated_at": None}


# -- servers -----------------------------------------------------------------------------------

_host_ids = {}


def host_id(instance):
    """Nova's hostId: an opaque per-project digest of the host (memoised: lists repeat few pairs)."""
    if not instance.host:
        return ""
    key = (instance.project_id, instance.host)
    if key not in _host_ids:
        if len(_host_ids) > 10000:
            _host_ids.clear()
        _host_ids[key] = hashlib.sha224(f"{instance.project_id}{instance.host}".encode()).hexdigest()
    return _host_ids[key]


def addresses(network_info):
    result = {}
    for vif in network_info or []:
        name = vif.get("network_name") or vif.get("network_id") or "network"
        entries = result.setdefault(name, [])
        for fixed in vif.get("fixed_ips") or []:
            address = fixed.get("ip_address")
            version = fixed.get("version") or (ipaddress.ip_address(address).version if address else 4)
            entries.append({"version": version, "addr": address, "OS-EXT-IPS:type": "fixed",
                            "OS-EXT-IPS-MAC:mac_addr": vif.get("mac_address")})
        for floating in vif.get("floating_ips") or []:
            entries.append({"version": 4, "addr": floating, "OS-EXT-IPS:type": "floating",
                            "OS-EXT-IPS-MAC:mac_addr": vif.get("mac_address")})
    return result


PROGRESS_STATUSES = {"ACTIVE", "BUILD", "REBUILD", "RESIZE", "VERIFY_RESIZE", "MIGRATING"}


def server_brief(request, instance):
    return {"id": instance.id, "name": instance.name, "links": links(request, "servers", instance.id)}


def server(request, instance, is_admin=False, base=None):
    """One server body. `base` (the compute URL) may be passed in by lists, computed once per request."""
    base = base or base_url(request)
    status = states.status_from_state(instance.vm_state, instance.task_state)
    flavor_id = instance.flavor.flavorid
    launched, terminated = instance.launched_at, instance.terminated_at
    body = {
        "id": instance.id, "name": instance.name, "status": status, "tenant_id": instance.project_id,
        "user_id": instance.user_id, "metadata": instance.metadata or {}, "hostId": host_id(instance),
        "image": {"id": instance.image_ref, "links": [{"rel": "bookmark",
                                                       "href": f"{base}/images/{instance.image_ref}"}]}
        if instance.image_ref else "",
        "flavor": {"id": flavor_id, "links": [{"rel": "bookmark", "href": f"{base}/flavors/{flavor_id}"}]},
        "created": ts(instance.created_at), "updated": ts(instance.updated_at),
        "addresses": addresses(instance.network_info), "accessIPv4": instance.access_ip_v4,
        "accessIPv6": instance.access_ip_v6,
        "links": [{"rel": "self", "href": f"{base}/v2.1/servers/{instance.id}"},
                  {"rel": "bookmark", "href": f"{base}/servers/{instance.id}"}],
        "OS-DCF:diskConfig": "MANUAL", "OS-EXT-AZ:availability_zone": instance.availability_zone or "",
        "config_drive": "True" if instance.config_drive else "", "key_name": instance.key_name,
        "OS-SRV-USG:launched_at": launched.strftime("%Y-%m-%dT%H:%M:%S.%f") if launched else None,
        "OS-SRV-USG:terminated_at": terminated.strftime("%Y-%m-%dT%H:%M:%S.%f") if terminated else None,
        "OS-EXT-STS:task_state": instance.task_state, "OS-EXT-STS:vm_state": instance.vm_state,
        "OS-EXT-STS:power_state": instance.power_state, "os-extended-volumes:volumes_attached":
            getattr(instance, "volumes_attached", []),  # set by compute.services.volumes.annotate
        "security_groups": instance.security_groups or [],
    }
    if status in PROGRESS_STATUSES:
        body["progress"] = 100 if status == "ACTIVE" else instance.progress
    if is_admin:
        body.update({"OS-EXT-SRV-ATTR:host": instance.host, "OS-EXT-SRV-ATTR:hypervisor_hostname": instance.node,
                     "OS-EXT-SRV-ATTR:instance_name": f"instance-{instance.id[:8]}"})
    if status in ("ERROR", "DELETED"):
        faults = getattr(instance, "fault_rows", None)
        if faults is None:
            faults = list(instance.faults.order_by("-created_at", "-id")[:1])
        if faults:
            fault = faults[0]
            body["fault"] = {"code": fault.code, "created": ts(fault.created_at), "message": fault.message}
            if is_admin and fault.details:
                body["fault"]["details"] = fault.details
    return body


# -- actions and events ------------------------------------------------------------------------

def instance_action(action, events=None, with_traceback=False):
    body = {"action": action.action, "instance_uuid": action.instance_id, "message": action.message,
            "project_id": action.project_id, "request_id": action.request_id,
            "start_time": action.start_time.strftime("%Y-%m-%dT%H:%M:%S.%f"), "user_id": action.user_id}
    if events is not None:
        body["events"] = [
            {"event": e.event, "start_time": e.start_time.strftime("%Y-%m-%dT%H:%M:%S.%f"),
             "finish_time": e.finish_time.strftime("%Y-%m-%dT%H:%M:%S.%f") if e.finish_time else None,
             "result": e.result, **({"traceback": e.traceback} if with_traceback else {})} for e in events]
    return body


# -- hosts ---------------------------------------------------------------------------------------

def service(row):
    return {"id": row.id, "binary": row.binary, "host": row.host, "zone": row.availability_zone,
            "status": "disabled" if row.disabled else "enabled", "state": "up" if row.is_up() else "down",
            "updated_at": row.last_seen_up.strftime("%Y-%m-%dT%H:%M:%S.%f") if row.last_seen_up else None,
            "disabled_reason": row.disabled_reason}


def hypervisor_brief(node):
    return {"id": node.id, "hypervisor_hostname": node.hypervisor_hostname,
            "state": "up" if node.service.is_up() else "down",
            "status": "disabled" if node.service.disabled else "enabled"}


def hypervisor(node):
    return {**hypervisor_brief(node), "vcpus": node.vcpus, "memory_mb": node.memory_mb, "local_gb": node.local_gb,
            "vcpus_used": node.vcpus_used, "memory_mb_used": node.memory_mb_used,
            "local_gb_used": node.local_gb_used, "hypervisor_type": node.hypervisor_type,
            "hypervisor_version": node.hypervisor_version, "free_ram_mb": node.memory_mb - node.memory_mb_used,
            "free_disk_gb": node.local_gb - node.local_gb_used, "current_workload": node.current_workload,
            "running_vms": node.running_vms, "cpu_info": node.cpu_info,
            "disk_available_least": node.local_gb - node.local_gb_used, "host_ip": node.host_ip,
            "service": {"host": node.host, "id": node.service_id, "disabled_reason": node.service.disabled_reason}}


def aggregate(row):
    return {"id": row.id, "name": row.name, "availability_zone": row.availability_zone, "hosts": row.hosts,
            "metadata": row.metadata, "created_at": row.created_at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
            "updated_at": row.updated_at.strftime("%Y-%m-%dT%H:%M:%S.%f"), "deleted": False, "deleted_at": None}


def server_group(group):
    members = getattr(group, "live_members", None)
    if members is None:
        members = list(group.members.filter(instance__deleted=False))
    return {"id": group.id, "name": group.name, "policies": [group.policy],
            "members": [m.instance_id for m in members], "metadata": {}}
