"""Key pairs: imported public keys or generated pairs (the private key is shown once, never stored)."""

import base64
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import IntegrityError, transaction

from compute.models import KeyPair
from compute.services.common import check_name, enforce, not_found
from core import quotas
from core.exceptions import BadRequest, Conflict


def fingerprint(public_key):
    try:
        blob = base64.b64decode(public_key.split()[1].encode(), validate=True)
        serialization.load_ssh_public_key(public_key.strip().encode())
    except (IndexError, ValueError, TypeError, Exception):  # noqa: BLE001 - any parse failure is bad input
        raise BadRequest("Keypair data is invalid: failed to generate fingerprint") from None
    digest = hashlib.md5(blob, usedforsecurity=False).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def generate():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return private, public + " Generated-by-Nebula"


def list_keypairs(ctx, user_id=None):
    user_id = user_id or ctx.user_id
    if user_id != ctx.user_id:
        enforce(ctx, "os_compute_api:os-keypairs:index:other_user")
    return list(KeyPair.objects.filter(user_id=user_id).order_by("name"))


def get_keypair(ctx, name, user_id=None):
    keypair = KeyPair.objects.filter(user_id=user_id or ctx.user_id, name=name).first()
    if keypair is None:
        raise not_found("Keypair", name)
    return keypair


def create_keypair(ctx, name, public_key=None, key_type="ssh"):
    """(keypair, private key or None)."""
    enforce(ctx, "os_compute_api:os-keypairs:create")
    check_name(name)
    if key_type not in ("ssh", "x509"):
        raise BadRequest(f"Invalid key type {key_type!r}")
    private = None
    if public_key is None:
        private, public_key = generate()
    elif not isinstance(public_key, str):
        raise BadRequest("public_key must be a string")
    print_ = fingerprint(public_key)
    try:
        with quotas.reserve(ctx.project_id, key_pairs=1):
            if KeyPair.objects.filter(user_id=ctx.user_id, name=name).exists():
                raise Conflict(f"Key pair '{name}' already exists.")
            with transaction.atomic():
                keypair = KeyPair.objects.create(user_id=ctx.user_id, project_id=ctx.project_id or "", name=name,
                                                 type=key_type, public_key=public_key.strip(),
                                                 fingerprint=print_)
    except IntegrityError:
        raise Conflict(f"Key pair '{name}' already exists.") from None
    return keypair, private


def delete_keypair(ctx, name, user_id=None):
    enforce(ctx, "os_compute_api:os-keypairs:delete")
    get_keypair(ctx, name, user_id).delete()
