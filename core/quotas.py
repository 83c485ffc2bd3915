"""The quota engine every service shares: limits per project, usage counted from the services' own rows.

Each service registers its resources once (name, default limit, a function that counts current usage
for a project). A write that consumes quota runs inside `reserve(project_id, **deltas)`: one
transaction that locks the project's quota row, so two racing requests cannot both take the last unit,
checks usage + delta against the limits and, if it fits, lets the caller write its rows.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from core.exceptions import BadRequest, OverLimit

UNLIMITED = -1


@dataclass(frozen=True)
class Resource:
    name: str
    default: int
    count: object  # callable(project_id) -> int
    service: str


_resources = {}
_lock = threading.Lock()


def register(name, default, count, service):
    """Declare a quota resource; NEBULA_QUOTA_<NAME> in the environment overrides the default."""
    import os

    env_value = os.environ.get(f"NEBULA_QUOTA_{name.upper()}")
    with _lock:
        _resources[name] = Resource(name, int(env_value) if env_value else default, count, service)


def resources(service=None, names=None):
    return {n: r for n, r in _resources.items()
            if (service is None or r.service == service) and (names is None or n in names)}


def _resource(name):
    if name not in _resources:
        raise BadRequest(f"Unknown quota resource: {name}")
    return _resources[name]


def limits(project_id, service=None, names=None):
    from core.models import QuotaLimit

    result = {name: r.default for name, r in resources(service, names).items()}
    for resource, hard_limit in QuotaLimit.objects.filter(project_id=project_id, resource__in=result).values_list(
            "resource", "hard_limit"):
        result[resource] = hard_limit
    return result


def defaults(service=None):
    return {name: r.default for name, r in resources(service).items()}


def usage(project_id, service=None, names=None):
    """Current use per resource; `names` limits the counting (each resource is one query)."""
    return {name: r.count(project_id) for name, r in resources(service, names).items()}


@transaction.atomic
def set_limits(project_id, values):
    """Set hard limits (UNLIMITED = -1). Values are validated as integers >= -1."""
    from core.models import QuotaLimit

    for name, value in values.items():
        _resource(name)
        if isinstance(value, bool) or not isinstance(value, int) or value < UNLIMITED:
            raise BadRequest(f"Quota limit for {name} must be an integer >= -1, not {value!r}")
    for name, value in values.items():
        QuotaLimit.objects.update_or_create(project_id=project_id, resource=name, defaults={"hard_limit": value})
    return limits(project_id)


@transaction.atomic
def reset_limits(project_id, service=None):
    from core.models import QuotaLimit

    QuotaLimit.objects.filter(project_id=project_id, resource__in=resources(service)).delete()


def _lock_project(project_id):
    from core.models import QuotaLock

    QuotaLock.objects.get_or_create(project_id=project_id)
    return QuotaLock.objects.select_for_update().get(project_id=project_id)


@contextmanager
def reserve(project_id, **deltas):
    """Inside: the caller writes the rows that consume the quota, in the same transaction.

    Raises OverLimit (with .resource, .limit, .in_use, .requested) before yielding when a delta
    does not fit.
    """
    with transaction.atomic():
        if any(delta > 0 for delta in deltas.values()):
            _lock_project(project_id)
            current_limits = limits(project_id)
            for name, delta in deltas.items():
                resource = _resource(name)
                if delta <= 0:
                    continue
                limit = current_limits[name]
                if limit == UNLIMITED:
                    continue
                in_use = resource.count(project_id)
                if in_use + delta > limit:
                    error = OverLimit(
                        f"Quota exceeded for {name}: Requested {delta}, but already used {in_use} of {limit} {name}")
                    error.resource, error.limit, error.in_use, error.requested = name, limit, in_use, delta
                    raise error
        yield
