"""Accounts, containers and the object records behind listings and stats.

An object's bytes live on the ring's devices; its row here is written in the same transaction that
completes the quorum write (newest timestamp wins), so listings, counts and bytes are what the
store holds. Counts and bytes are aggregated from the rows at read time rather than kept in counters,
so concurrent writers never race on a shared total.
"""

from django.db import models


class Account(models.Model):
    project_id = models.CharField(max_length=64, primary_key=True)
    metadata = models.JSONField(default=dict, blank=True)  # header name (lower case) -> value
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"AUTH_{self.project_id}"


class Container(models.Model):
    project_id = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=256)
    metadata = models.JSONField(default=dict, blank=True)
    read_acl = models.TextField(blank=True, default="")
    write_acl = models.TextField(blank=True, default="")
    timestamp = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project_id", "name"], name="objects_container_unique")]
        ordering = ["project_id", "name"]

    def __str__(self):
        return f"AUTH_{self.project_id}/{self.name}"


class ObjectRecord(models.Model):
    KIND_PLAIN, KIND_SLO, KIND_DLO = "", "slo", "dlo"

    container = models.ForeignKey(Container, on_delete=models.CASCADE, related_name="records")
    name = models.CharField(max_length=1024)
    timestamp = models.CharField(max_length=20)  # Swift timestamp of the data on the ring
    size = models.BigIntegerField(default=0)  # for an SLO: the whole
    etag = models.CharField(max_length=64)  # md5 of the stored bytes
    content_type = models.CharField(max_length=256, default="application/octet-stream")
    metadata = models.JSONField(default=dict, blank=True)  # x-object-meta-*, content-disposition, ...
    delete_at = models.BigIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=8, default="", blank=True)
    slo_etag = models.CharField(max_length=64, blank=True, default="")
    dlo_manifest = models.CharField(max_length=1300, blank=True, default="")
    last_modified = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["container", "name"], name="objects_object_unique")]
        ordering = ["container", "name"]

    def __str__(self):
        return f"{self.container}/{self.name}"

    @property
    def listing_etag(self):
        return self.slo_etag if self.kind == self.KIND_SLO else self.etag
