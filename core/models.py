import uuid

from django.db import models


def new_id():
    return uuid.uuid4().hex


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Generation(models.Model):
    """A counter per cache family; bumping it tells every process to drop what it cached.

    Lets the token validator keep roles, names and revocations in memory (no database read per
    request) while a write in any process still reaches the others within one check interval.
    """

    name = models.CharField(max_length=64, primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"


class QuotaLimit(models.Model):
    """A project's hard limit for one resource, where it differs from the registered default."""

    project_id = models.CharField(max_length=64, db_index=True)
    resource = models.CharField(max_length=64)
    hard_limit = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project_id", "resource"], name="quota_limit_unique")]

    def __str__(self):
        return f"{self.project_id} {self.resource}={self.hard_limit}"


class QuotaLock(models.Model):
    """One row per project, locked (SELECT ... FOR UPDATE) while a quota check and its writes run."""

    project_id = models.CharField(max_length=64, primary_key=True)

    def __str__(self):
        return self.project_id
