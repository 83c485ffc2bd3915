"""The config drive: an ISO 9660 (Joliet + Rock Ridge) labelled config-2, the layout cloud-init and the
cirros-nebula guest read: openstack/latest/{meta_data.json, user_data, network_data.json}."""

import io
import json

import pycdlib

LABEL = "config-2"


def meta_data(instance, key_data=None):
    data = {"uuid": instance["id"], "name": instance.get("name") or "", "hostname": hostname(instance),
            "launch_index": 0, "availability_zone": instance.get("availability_zone") or "",
            "project_id": instance.get("project_id") or "", "meta": instance.get("metadata") or {},
            "devices": []}
    if key_data:
        data["public_keys"] = {instance.get("key_name") or "key": key_data.strip() + "\n"}
    return data


def hostname(instance):
    """Nova's rule: the display name made DNS-safe."""
    name = "".join(c if c.isalnum() or c == "-" else "-" for c in (instance.get("name") or "").lower())
    return name.strip("-")[:63] or f"server-{instance['id']}"


def network_data(network_info):
    links, networks = [], []
    for index, vif in enumerate(network_info or []):
        link_id = f"tap{(vif.get('port_id') or str(index))[:11]}"
        links.append({"id": link_id, "type": "phy", "ethernet_mac_address": vif.get("mac_address"),
                      "mtu": vif.get("mtu"), "vif_id": vif.get("port_id")})
        for ip_index, ip in enumerate(vif.get("fixed_ips") or []):
            networks.append({"id": f"network{len(networks)}", "link": link_id, "network_id": vif.get("network_id"),
                             "type": "ipv6_dhcp" if ip.get("version") == 6 else "ipv4_dhcp",
                             "ip_address": ip.get("ip_address")})
    return {"links": links, "networks": networks, "services": []}


def files(instance, network_info, user_data=None, key_data=None):
    result = {"openstack/latest/meta_data.json": json.dumps(meta_data(instance, key_data)).encode(),
              "openstack/latest/network_data.json": json.dumps(network_data(network_info)).encode()}
    if user_data:
        result["openstack/latest/user_data"] = user_data.encode() if isinstance(user_data, str) else user_data
    return result


def build(target, instance, network_info, user_data=None, key_data=None):
    """Writes the ISO to target."""
    iso = pycdlib.PyCdlib()
    iso.new(interchange_level=3, joliet=3, rock_ridge="1.09", vol_ident=LABEL)
    made = set()
    for path, data in sorted(files(instance, network_info, user_data, key_data).items()):
        parts = path.split("/")
        for depth in range(1, len(parts)):
            directory = "/".join(parts[:depth])
            if directory not in made:
                made.add(directory)
                iso.add_directory(_iso9660_name(directory), rr_name=parts[depth - 1], joliet_path="/" + directory)
        iso.add_fp(io.BytesIO(data), len(data), _iso9660_name(path, file=True), rr_name=parts[-1],
                   joliet_path="/" + path)
    iso.write(str(target))
    iso.close()


def _iso9660_name(path, file=False):
    """ISO 9660 level-3 names: upper case, [A-Z0-9_], files end in ;1 (Rock Ridge carries the real names)."""
    def clean(part, is_file):
        stem, dot, ext = part.rpartition(".") if is_file and "." in part else (part, "", "")
        stem = "".join(c if c.isalnum() else "_" for c in stem.upper())
        ext = "".join(c if c.isalnum() else "_" for c in ext.upper())
        return f"{stem}.{ext}" if dot else stem

    parts = path.split("/")
    names = [clean(p, False) for p in parts[:-1]] + [clean(parts[-1], file)]
    return "/" + "/".join(names) + (";1" if file else "")


def read(path):
    """{path: bytes} of an ISO written by build (for tests and for a host checking its own drive)."""
    iso = pycdlib.PyCdlib()
    iso.open(str(path))
    result = {}
    try:
        for root, _dirs, names in iso.walk(rr_path="/"):
            for name in names:
                full = f"{root.rstrip('/')}/{name}"
                out = io.BytesIO()
                iso.get_file_from_iso_fp(out, rr_path=full)
                result[full.lstrip("/")] = out.getvalue()
        label = iso.pvd.volume_identifier.decode().strip()
    finally:
        iso.close()
    return result, label
