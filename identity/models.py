"""Keystone v3's data: domains, projects, users, groups, roles, assignments, catalog, credentials."""

from django.contrib.auth.models import Group as AuthGroup
from django.db import models
from django.db.models import Q

from core.models import TimestampedModel, new_id


class Domain(TimestampedModel):
    DEFAULT_ID = "default"

    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=True)
    tags = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return self.name


class DomainConfig(TimestampedModel):
    """Where a domain's users and groups come from: the SQL tables (default) or an LDAP directory."""

    DRIVERS = [("sql", "SQL"), ("ldap", "LDAP")]

    domain = models.OneToOneField(Domain, on_delete=models.CASCADE, primary_key=True, related_name="config")
    driver = models.CharField(max_length=16, choices=DRIVERS, default="sql")
    ldap = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"{self.domain.name}: {self.driver}"


class Project(TimestampedModel):
    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    name = models.CharField(max_length=255)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="projects")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=True)
    tags = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=dict, blank=True)
    # The auth group django-guardian grants per-object rights to when something is shared with this project.
    auth_group = models.OneToOneField(AuthGroup, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="nebula_project")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain", "name"], name="project_name_per_domain")]

    def __str__(self):
        return self.name


class User(TimestampedModel):
    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    name = models.CharField(max_length=255)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="users")
    password = models.CharField(max_length=255, blank=True, default="")
    enabled = models.BooleanField(default=True)
    email = models.CharField(max_length=255, blank=True, default="")
    description = models.TextField(blank=True, default="")
    default_project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    password_expires_at = models.DateTimeField(null=True, blank=True)
    options = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # For users that live in LDAP: their entry's DN; they have no local password.
    ldap_dn = models.CharField(max_length=1024, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain", "name"], name="user_name_per_domain")]

    def __str__(self):
        return self.name


class Group(TimestampedModel):
    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    name = models.CharField(max_length=255)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="groups")
    description = models.TextField(blank=True, default="")
    members = models.ManyToManyField(User, related_name="groups", blank=True)
    ldap_dn = models.CharField(max_length=1024, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain", "name"], name="group_name_per_domain")]

    def __str__(self):
        return self.name


class Role(TimestampedModel):
    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    name = models.CharField(max_length=255)
    # Global roles have no domain; domain-specific roles exist but are rare.
    domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.CASCADE, related_name="roles")
    description = models.TextField(blank=True, default="")
    options = models.JSONField(default=dict, blank=True)
    implies = models.ManyToManyField("self", symmetrical=False, related_name="implied_by", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(domain__isnull=True), name="global_role_name"),
            models.UniqueConstraint(fields=["domain", "name"], name="role_name_per_domain"),
        ]

    def __str__(self):
        return self.name


class RoleAssignment(models.Model):
    """A role given to one actor (user or group) on one target (project, domain or the system)."""

    id = models.BigAutoField(primary_key=True)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="assignments")
    domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments")
    system = models.CharField(max_length=16, blank=True, default="")  # "all" for system assignments
    # Inherited assignments on a domain (or project) apply to every project below it.
    inherited = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False, group__isnull=True) | Q(user__isnull=True, group__isnull=False)),
                name="assignment_one_actor",
            ),
            models.UniqueConstraint(fields=["role", "user", "group", "project", "domain", "system", "inherited"],
                                    name="assignment_unique", nulls_distinct=False),
        ]
        indexes = [models.Index(fields=["user", "project"]), models.Index(fields=["group", "project"])]

    def __str__(self):
        actor = self.user_id or self.group_id
        target = self.project_id or self.domain_id or f"system:{self.system}"
        return f"{self.role_id} for {actor} on {target}"


class Region(TimestampedModel):
    id = models.CharField(max_length=255, primary_key=True)
    description = models.TextField(blank=True, default="")
    parent_region = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="children")

    def __str__(self):
        return self.id


class Service(TimestampedModel):
    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    type = models.CharField(max_length=255)
    name = models.CharField(max_length=255, blank=True, default="")
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.name} ({self.type})"


class Endpoint(TimestampedModel):
    INTERFACES = [("public", "public"), ("internal", "internal"), ("admin", "admin")]

    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="endpoints")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="endpoints")
    interface = models.CharField(max_length=8, choices=INTERFACES)
    url = models.CharField(max_length=1024)
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.interface} {self.url}"


class ApplicationCredential(TimestampedModel):
    id = models.CharField(max_length=64, primary_key=True, default=new_id)
    name = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="application_credentials")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="application_credentials")
    description = models.TextField(blank=True, default="")
    secret_hash = models.CharField(max_length=255)
    expires_at = models.DateTimeField(null=True, blank=True)
    unrestricted = models.BooleanField(default=False)
    roles = models.ManyToManyField(Role, related_name="+")
    access_rules = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="app_cred_name_per_user")]

    def __str__(self):
        return self.name


class RevocationEvent(models.Model):
    """Keystone's revocation events: tokens matching every set field, issued before, are invalid."""

    id = models.BigAutoField(primary_key=True)
    user_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    project_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    domain_id = models.CharField(max_length=64, blank=True, default="")
    audit_id = models.CharField(max_length=64, blank=True, default="", db_index=True)
    application_credential_id = models.CharField(max_length=64, blank=True, default="")
    issued_before = models.DateTimeField()
    revoked_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        fields = {k: getattr(self, k) for k in ("user_id", "project_id", "domain_id", "audit_id",
                                                "application_credential_id") if getattr(self, k)}
        return f"revoke {fields} before {self.issued_before:%Y-%m-%dT%H:%M:%S}"
