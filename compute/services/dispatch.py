"""Sending work: conductor tasks on queue "conductor", host work on queue "compute.<host>".

Messages go out after the transaction that wrote the rows commits, so a worker never reads a
row that is not there yet. Tasks are sent by name: the sender needs no import of the worker code.
"""

from django.db import transaction

from compute.messaging import send

CONDUCTOR_QUEUE = "conductor"


def host_queue(host):
    return f"compute.{host}"


def _send(name, args, queue, countdown=None):
    transaction.on_commit(lambda: send(name, args, queue, countdown))


def to_conductor(task, *args, countdown=None):
    _send(f"compute.conductor.{task}", list(args), CONDUCTOR_QUEUE, countdown)


def to_host(host, task, *args):
    _send(f"compute.host.{task}", list(args), host_queue(host))


def to_host_now(host, task, *args):
    """For a request that writes nothing first and waits for the answer (a console refresh)."""
    send(f"compute.host.{task}", list(args), host_queue(host))


def payload(instance):
    """Everything a compute host needs about an instance: it has no database to look things up in."""
    return {"id": instance.id, "name": instance.name, "project_id": instance.project_id,
            "user_id": instance.user_id, "flavor": instance.flavor_info, "image": instance.image_info,
            "network_info": instance.network_info, "user_data": instance.user_data,
            "key_data": instance.key_data, "metadata": instance.metadata, "host": instance.host,
            "node": instance.node, "config_drive": instance.config_drive, "power_state": instance.power_state,
            "vm_state": instance.vm_state,
            # Boot from volume: the root volume's connection info (what the host's driver opens as vda).
            "block_device_info": (instance.request_spec or {}).get("block_device_info")}
