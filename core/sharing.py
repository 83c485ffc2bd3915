"""Per-object grants to projects, carried by django-guardian.

Each project has a django auth group (identity.Project.auth_group); sharing an object with a
project grants a permission on that object to that group. Services use this for image members,
network RBAC and anything else shared with one project.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

GROUP_PREFIX = "project:"


def project_group(project_id):
    group, _ = AuthGroup.objects.get_or_create(name=f"{GROUP_PREFIX}{project_id}")
    return group


def _perm(obj, codename):
    return codename if "." in codename else f"{obj._meta.app_label}.{codename}"


def grant(codename, obj, project_id):
    assign_perm(_perm(obj, codename), project_group(project_id), obj)


def revoke(codename, obj, project_id):
    group = AuthGroup.objects.filter(name=f"{GROUP_PREFIX}{project_id}").first()
    if group is not None:
        remove_perm(_perm(obj, codename), group, obj)


def projects_granted(codename, obj):
    """Ids of the projects that hold `codename` on obj."""
    content_type = ContentType.objects.get_for_model(obj)
    names = GroupObjectPermission.objects.filter(
        content_type=content_type, object_pk=str(obj.pk), permission__codename=codename.split(".")[-1],
    ).values_list("group__name", flat=True)
    return {name[len(GROUP_PREFIX):] for name in names if name.startswith(GROUP_PREFIX)}


def object_ids_granted(codename, model, project_id):
    """Primary keys (as strings) of `model` rows on which project_id holds `codename`."""
    content_type = ContentType.objects.get_for_model(model)
    return GroupObjectPermission.objects.filter(
        content_type=content_type, permission__codename=codename.split(".")[-1],
        group__name=f"{GROUP_PREFIX}{project_id}",
    ).values_list("object_pk", flat=True)
