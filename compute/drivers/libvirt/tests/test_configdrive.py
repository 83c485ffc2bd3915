import json
import subprocess
import uuid

from compute.drivers.libvirt import configdrive

INSTANCE = {"id": str(uuid.uuid4()), "name": "My Server_1", "key_name": "k", "metadata": {"a": "b"},
            "availability_zone": "nova", "project_id": "p"}
PORTS = [{"port_id": "port-1", "network_id": "n1", "mac_address": "fa:16:3e:00:00:01", "mtu": 1450,
          "fixed_ips": [{"ip_address": "10.0.0.5", "version": 4}]}]


def test_iso_has_the_openstack_layout_and_label(tmp_path):
    target = tmp_path / "disk.config"
    configdrive.build(target, INSTANCE, PORTS, "#!/bin/sh\necho hi\n", "ssh-ed25519 AAAAC3 me@here")
    files, label = configdrive.read(target)
    assert label == "config-2"
    assert set(files) == {"openstack/latest/meta_data.json", "openstack/latest/user_data",
                          "openstack/latest/network_data.json"}
    meta = json.loads(files["openstack/latest/meta_data.json"])
    assert meta["uuid"] == INSTANCE["id"] and meta["hostname"] == "my-server-1"
    assert meta["public_keys"] == {"k": "ssh-ed25519 AAAAC3 me@here\n"} and meta["meta"] == {"a": "b"}
    assert files["openstack/latest/user_data"] == b"#!/bin/sh\necho hi\n"
    network = json.loads(files["openstack/latest/network_data.json"])
    assert network["links"][0]["ethernet_mac_address"] == "fa:16:3e:00:00:01"
    assert network["networks"][0]["ip_address"] == "10.0.0.5"


def test_blkid_sees_an_iso9660_labelled_config_2(tmp_path):
    target = tmp_path / "disk.config"
    configdrive.build(target, INSTANCE, [], None, None)
    out = subprocess.run(["blkid", "-o", "export", str(target)], capture_output=True, text=True).stdout
    assert "TYPE=iso9660" in out and "LABEL=config-2" in out


def test_without_user_data_or_key_there_is_no_user_data_file_nor_keys(tmp_path):
    target = tmp_path / "disk.config"
    configdrive.build(target, INSTANCE, [], None, None)
    files, _ = configdrive.read(target)
    assert "openstack/latest/user_data" not in files
    assert "public_keys" not in json.loads(files["openstack/latest/meta_data.json"])


def test_hostname_falls_back_to_the_id_for_names_with_nothing_usable():
    assert configdrive.hostname({"id": "abc", "name": "___"}) == "server-abc"
