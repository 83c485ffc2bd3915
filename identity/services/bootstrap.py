"""First-run state of a cloud, idempotent: keys, region, catalog, default domain, roles, admin and demo."""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from core.sharing import project_group
from identity.fernet import repository
from identity.models import Domain, Endpoint, Project, Region, Role, RoleAssignment, Service, User
from identity.services.cache import changed

# (type, name, path under the public URL): every OpenStack service Nebula speaks, built or not yet.
CATALOG = [
    ("identity", "keystone", "/identity"),
    ("compute", "nova", "/compute/v2.1"),
    ("image", "glance", "/image"),
    ("block-storage", "cinder", "/volume/v3/$(project_id)s"),
    ("volumev3", "cinderv3", "/volume/v3/$(project_id)s"),
    ("network", "neutron", "/network"),
    ("object-store", "swift", "/object/v1/AUTH_$(project_id)s"),
    ("orchestration", "heat", "/heat/v1/$(project_id)s"),
]
INTERFACES = ("public", "internal", "admin")
ROLE_CHAIN = ("admin", "member", "reader")


def ensure_project_group(project):
    """The django auth group that stands for a project in django-guardian's per-object grants."""
    if project.auth_group_id:
        return project.auth_group
    group = project_group(project.id)
    project.auth_group = group
    project.save(update_fields=["auth_group"])
    return group


def _credentials_file():
    return Path(settings.STATE_DIR) / "credentials.json"


def _passwords(admin_password=None, demo_password=None):
    """Passwords from the arguments, else those saved at the first bootstrap, else new random ones."""
    path = _credentials_file()
    saved = json.loads(path.read_text()) if path.exists() else {}
    result = {
        "admin": admin_password or saved.get("admin") or secrets.token_urlsafe(12),
        "demo": demo_password or saved.get("demo") or secrets.token_urlsafe(12),
    }
    if result != saved:
        path.write_text(json.dumps(result))
        path.chmod(0o600)
    return result


def _ensure_user(name, domain, password, project, force_password):
    user = User.objects.filter(domain=domain, name=name).first()
    if user is None:
        return User.objects.create(name=name, domain=domain, password=make_password(password),
                                   default_project=project)
    if force_password:
        user.password = make_password(password)
        user.save(update_fields=["password", "updated_at"])
    return user


def _assign(role, user, project=None, system=""):
    RoleAssignment.objects.get_or_create(role=role, user=user, group=None, project=project, domain=None,
                                         system=system, inherited=False)


@transaction.atomic
def bootstrap(public_url=None, region=None, admin_password=None, demo_password=None):
    """Returns {"admin": password, "demo": password, "public_url": url}."""
    public_url = (public_url or settings.PUBLIC_URL).rstrip("/")
    region_id = region or settings.REGION_NAME
    repository().setup()

    Region.objects.get_or_create(id=region_id, defaults={"description": "Nebula's region"})
    for service_type, name, path in CATALOG:
        service, _ = Service.objects.get_or_create(type=service_type, name=name)
        for interface in INTERFACES:
            Endpoint.objects.update_or_create(
                service=service, interface=interface, region_id=region_id,
                defaults={"url": public_url + path, "enabled": True},
            )

    domain, _ = Domain.objects.get_or_create(
        id=Domain.DEFAULT_ID, defaults={"name": "Default", "description": "The default domain"})

    roles = {}
    for name in ROLE_CHAIN:
        roles[name] = Role.objects.filter(name=name, domain__isnull=True).first() or Role.objects.create(name=name)
    roles["admin"].implies.add(roles["member"])
    roles["member"].implies.add(roles["reader"])

    projects = {}
    for name, description in (("admin", "Bootstrap project for the cloud administrator"),
                              ("demo", "Demo project"), ("service", "Project of the cloud's own services")):
        projects[name], _ = Project.objects.get_or_create(domain=domain, name=name,
                                                          defaults={"description": description})
        ensure_project_group(projects[name])

    passwords = _passwords(admin_password, demo_password)
    admin = _ensure_user("admin", domain, passwords["admin"], projects["admin"], bool(admin_password))
    demo = _ensure_user("demo", domain, passwords["demo"], projects["demo"], bool(demo_password))
    _assign(roles["admin"], admin, project=projects["admin"])
    _assign(roles["admin"], admin, system="all")
    _assign(roles["member"], demo, project=projects["demo"])
    changed()
    return {"admin": passwords["admin"], "demo": passwords["demo"], "public_url": public_url}


def clouds_yaml(public_url, passwords, region=None):
    region_id = region or settings.REGION_NAME

    def cloud(user, project):
        return {
            "auth": {
                "auth_url": f"{public_url}/identity",
                "username": user,
                "password": passwords[user],
                "project_name": project,
                "user_domain_name": "Default",
                "project_domain_name": "Default",
            },
            "region_name": region_id,
            "interface": "public",
            "identity_api_version": 3,
        }

    return {"clouds": {"nebula-admin": cloud("admin", "admin"), "nebula-demo": cloud("demo", "demo")}}
