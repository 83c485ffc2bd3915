"""Network RBAC: share a network with one project (or all, '*') as shared or as external.

A policy for one project is also a django-guardian grant on the network to that project's group
(core.sharing), which is what the visibility queries read; '*' policies set the network's own
shared / router:external flags.
"""

from django.db import IntegrityError, transaction

from core import sharing
from network.models import Network, Port, RBACPolicy
from network.services.common import (bad_request, check_string, conflict, enforce, not_found, owner_project,
                                     reject_unknown)

ACTIONS = {"access_as_shared": "access_as_shared_network", "access_as_external": "access_as_external_network"}
CREATE = {"object_type", "object_id", "action", "target_tenant", "target_project", "project_id", "tenant_id"}


def list_policies(ctx):
    if ctx.is_admin:
        return RBACPolicy.objects.all()
    return RBACPolicy.objects.filter(project_id=ctx.project_id)


def get_policy(ctx, policy_id):
    policy = list_policies(ctx).filter(id=str(policy_id)).first()
    if policy is None:
        raise not_found("RbacPolicyNotFound", f"RBAC policy with type network and id {policy_id} not found")
    return policy


def _apply(policy, enabled):
    network = policy.network
    flag = "shared" if policy.action == "access_as_shared" else "external"
    if policy.target_tenant == "*":
        setattr(network, flag, enabled)
        network.bump()
        network.save(update_fields=[flag, "revision_number", "updated_at"])
    elif enabled:
        sharing.grant(ACTIONS[policy.action], network, policy.target_tenant)
    else:
        sharing.revoke(ACTIONS[policy.action], network, policy.target_tenant)


def _check_unused(policy):
    """Removing access must not strand another project's ports on the network."""
    if policy.action != "access_as_shared":
        if policy.network.floating_ips.exclude(project_id=policy.network.project_id).exists() or \
                policy.network.gateway_routers.exclude(project_id=policy.network.project_id).exists():
            if not RBACPolicy.objects.filter(network=policy.network, action=policy.action,
                                             target_tenant="*").exclude(pk=policy.pk).exists():
                raise conflict("RbacPolicyInUse", f"RBAC policy on object {policy.network_id} cannot be removed "
                                                  "because other objects depend on it.")
        return
    others = RBACPolicy.objects.filter(network=policy.network, action=policy.action).exclude(pk=policy.pk)
    if others.filter(target_tenant="*").exists():
        return
    ports = Port.objects.filter(network=policy.network).exclude(project_id=policy.network.project_id).exclude(
        project_id="")
    if policy.target_tenant != "*":
        ports = ports.filter(project_id=policy.target_tenant)
    else:
        ports = ports.exclude(project_id__in=list(others.values_list("target_tenant", flat=True)))
    if ports.exists():
        raise conflict("RbacPolicyInUse", f"RBAC policy on object {policy.network_id} cannot be removed because "
                                          "other objects depend on it.")


def create_policy(ctx, body):
    reject_unknown(body, CREATE, "rbac_policy")
    if body.get("object_type") != "network":
        raise bad_request(f"Invalid input for object_type. Reason: '{body.get('object_type')}' is not in "
                          "['network'].")
    action = body.get("action")
    if not isinstance(action, str) or action not in ACTIONS:
        raise bad_request(f"Invalid input for action. Reason: '{action}' is not in {sorted(ACTIONS)}.")
    target = body.get("target_tenant", body.get("target_project"))
    if not target:
        raise bad_request("Failed to parse request. Required attribute 'target_tenant' not specified")
    target = check_string({"target_tenant": target}, "target_tenant", 64)
    project_id = owner_project(ctx, body)
    network = Network.objects.filter(id=str(body.get("object_id"))).first() if isinstance(
        body.get("object_id"), str) else None
    if network is None or (network.project_id != ctx.project_id and not ctx.is_admin):
        raise not_found("NetworkNotFound", f"Network {body.get('object_id')} could not be found.")
    enforce(ctx, "create_rbac_policy", {"project_id": network.project_id})
    if target == "*" or action == "access_as_external":
        enforce(ctx, "create_rbac_policy:target_tenant", {"project_id": network.project_id})
    with transaction.atomic():
        try:
            with transaction.atomic():
                policy = RBACPolicy.objects.create(project_id=project_id, network=network, action=action,
                                                   target_tenant=target)
        except IntegrityError:
            raise conflict("DuplicateRbacPolicy", "An RBAC policy already exists with those values.") from None
        _apply(policy, True)
    return policy


def update_policy(ctx, policy_id, body):
    reject_unknown(body, {"target_tenant", "target_project"}, "rbac_policy")
    target = body.get("target_tenant", body.get("target_project"))
    with transaction.atomic():
        policy = get_policy(ctx, policy_id)
        enforce(ctx, "update_rbac_policy", {"project_id": policy.project_id})
        if not target or target == policy.target_tenant:
            return policy
        target = check_string({"target_tenant": target}, "target_tenant", 64)
        if target == "*":
            enforce(ctx, "create_rbac_policy:target_tenant", {"project_id": policy.project_id})
        _check_unused(policy)
        _apply(policy, False)
        policy.target_tenant = target
        try:
            with transaction.atomic():
                policy.save()
        except IntegrityError:
            raise conflict("DuplicateRbacPolicy", "An RBAC policy already exists with those values.") from None
        _apply(policy, True)
    return policy


def delete_policy(ctx, policy_id):
    with transaction.atomic():
        policy = get_policy(ctx, policy_id)
        enforce(ctx, "delete_rbac_policy", {"project_id": policy.project_id})
        _check_unused(policy)
        _apply(policy, False)
        policy.delete()
