"""Cinder v3 at /volume/v3/{project_id}: parse, call storage.volumes.services, render."""

from django.utils import timezone
from rest_framework.response import Response

from core import quotas
from core.api.microversions import MicroversionMixin
from core.api.views import OpenStackAPIView
from core.exceptions import BadRequest, NotFound, OverLimit
from core.policy import enforce
from storage.volumes.api import render
from storage.volumes.models import Message
from storage.volumes.services import attachments as attachment_services
from storage.volumes.services import backends as backend_services
from storage.volumes.services import backups as backup_services
from storage.volumes.services import snapshots as snapshot_services
from storage.volumes.services import types as type_services
from storage.volumes.services import volumes as volume_services

MIN_VERSION, MAX_VERSION = "3.0", "3.71"
UPDATED = "2023-08-31T00:00:00Z"


class CinderView(MicroversionMixin, OpenStackAPIView):
    error_style = "cinder"
    microversion_service = "volume"
    microversion_min = MIN_VERSION
    microversion_max = MAX_VERSION

    def handle_exception(self, exc):
        if isinstance(exc, OverLimit):
            exc.status = 413  # Cinder answers quota with 413 overLimit (Nova with 403)
        return super().handle_exception(exc)

    def params(self):
        return {k: v for k, v in self.request.query_params.items()}


def _version_doc(request):
    base = render.base_url(request)
    return {"id": "v3.0", "status": "CURRENT", "version": MAX_VERSION, "min_version": MIN_VERSION,
            "updated": UPDATED, "links": [{"rel": "describedby", "type": "text/html",
                                           "href": "https://docs.openstack.org/"},
                                          {"rel": "self", "href": f"{base}/v3/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.volume+json;version=3"}]}


class VersionsView(CinderView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        return Response({"versions": [_version_doc(request)]}, status=300)


class VersionView(CinderView):
    require_auth = False
    authentication_classes = []

    def get(self, request):
        return Response({"versions": [_version_doc(request)]})


def _paged(request, key, rows, more, render_one, collection):
    body = {key: [render_one(r) for r in rows]}
    if more and rows:
        query = request.query_params.copy()
        query["marker"] = rows[-1].id
        body[f"{key}_links"] = [{"rel": "next", "href": request.build_absolute_uri(
            request.path) + "?" + query.urlencode()}]
    return body


# -- volumes ---------------------------------------------------------------------------------------

def _volume_fields(body):
    return dict(size=body.get("size"), name=body.get("name") or body.get("display_name"),
                description=body.get("description") or body.get("display_description"),
                volume_type=body.get("volume_type"), availability_zone=body.get("availability_zone"),
                metadata=body.get("metadata"), snapshot_id=body.get("snapshot_id"),
                source_volid=body.get("source_volid"), image_id=body.get("imageRef") or body.get("image_id"),
                backup_id=None, multiattach=bool(body.get("multiattach")), bootable=body.get("bootable"))


class VolumeListView(CinderView):
    detail = False

    def get(self, request, project_id):
        rows, more = volume_services.list_volumes(self.ctx, self.params())
        return Response(_paged(request, "volumes", rows, more,
                               lambda r: render.volume(request, r, self.ctx, summary=not self.detail), "volumes"))

    def post(self, request, project_id):
        body = self.body("volume")
        fields = _volume_fields(body)
        backup_id = body.get("backup_id")
        if backup_id:
            backup, volume = backup_services.restore_backup(self.ctx, backup_id, None, fields["name"])
        else:
            volume = volume_services.create_volume(self.ctx, **fields)
        return Response({"volume": render.volume(request, volume, self.ctx)}, status=202)


class VolumeDetailListView(VolumeListView):
    detail = True

    def post(self, request, project_id):
        raise NotFound("The resource could not be found.")


class VolumeView(CinderView):
    def get(self, request, project_id, volume_id):
        return Response({"volume": render.volume(request, volume_services.get_volume(self.ctx, volume_id), self.ctx)})

    def put(self, request, project_id, volume_id):
        body = self.body("volume")
        fields = {k for k in ("name", "description", "metadata") if k in body}
        if "display_name" in body:
            body["name"] = body["display_name"]
            fields.add("name")
        if "display_description" in body:
            body["description"] = body["display_description"]
            fields.add("description")
        if not fields:
            raise BadRequest("Invalid input received: Missing required element 'volume' in request body.")
        volume = volume_services.update_volume(self.ctx, volume_id, body.get("name"), body.get("description"),
                                               body.get("metadata"), fields)
        return Response({"volume": render.volume(request, volume, self.ctx)})

    def delete(self, request, project_id, volume_id):
        cascade = str(request.query_params.get("cascade", "")).lower() == "true"
        force = str(request.query_params.get("force", "")).lower() == "true"
        volume_services.delete_volume(self.ctx, volume_id, cascade=cascade, force=force)
        return Response(status=202)


class VolumeMetadataView(CinderView):
    def get(self, request, project_id, volume_id):
        return Response({"metadata": dict(volume_services.get_volume(self.ctx, volume_id).metadata)})

    def post(self, request, project_id, volume_id):
        return Response({"metadata": volume_services.set_metadata(self.ctx, volume_id, self.body().get("metadata"))})

    def put(self, request, project_id, volume_id):
        return Response({"metadata": volume_services.set_metadata(self.ctx, volume_id, self.body().get("metadata"),
                                                                  replace=True)})


class VolumeMetadataItemView(CinderView):
    def get(self, request, project_id, volume_id, key):
        metadata = volume_services.get_volume(self.ctx, volume_id).metadata
        if key not in metadata:
            raise NotFound(f"Metadata item {key} was not found.")
        return Response({"meta": {key: metadata[key]}})

    def put(self, request, project_id, volume_id, key):
        meta = self.body("meta")
        if list(meta) != [key]:
            raise BadRequest("Invalid input received: the body must hold exactly the item in the URL.")
        volume_services.set_metadata(self.ctx, volume_id, meta)
        return Response({"meta": meta})

    def delete(self, request, project_id, volume_id, key):
        volume_services.delete_metadata_key(self.ctx, volume_id, key)
        return Response(status=200)


class VolumeActionView(CinderView):
    def post(self, request, project_id, volume_id):
        body = self.body()
        if len(body) != 1:
            raise BadRequest("Invalid input received: the action body must name exactly one action.")
        (action, args), = body.items()
        if args is None:
            args = {}
        if not isinstance(args, dict):
            raise BadRequest(f"Invalid input received: {action} takes an object.")
        ctx = self.ctx
        if action == "os-extend":
            volume_services.extend_volume(ctx, volume_id, args.get("new_size"))
        elif action == "os-set_bootable":
            if "bootable" not in args:
                raise BadRequest("Invalid input received: bootable is required.")
            volume_services.set_bootable(ctx, volume_id, args["bootable"])
            return Response(status=200)
        elif action == "os-reset_status":
            volume_services.reset_status(ctx, volume_id, args.get("status"), args.get("attach_status"),
                                         args.get("migration_status"))
        elif action == "os-update_readonly_flag":
            volume_services.get_volume(ctx, volume_id)
        elif action == "os-set_image_metadata":
            metadata = volume_services.set_image_metadata(ctx, volume_id, args.get("metadata"))
            return Response({"metadata": metadata})
        elif action == "os-show_image_metadata":
            return Response({"metadata": dict(volume_services.get_volume(ctx, volume_id).image_metadata)})
        elif action == "os-reserve":
            attachment_services.reserve(ctx, volume_id)
        elif action == "os-unreserve":
            attachment_services.unreserve(ctx, volume_id)
        elif action == "os-initialize_connection":
            info = attachment_services.initialize_connection(ctx, volume_id, args.get("connector"))
            return Response({"connection_info": info})
        elif action == "os-terminate_connection":
            attachment_services.terminate_connection(ctx, volume_id, args.get("connector"))
        elif action == "os-attach":
            attachment_services.attach(ctx, volume_id, args.get("instance_uuid"), args.get("mountpoint"),
                                       args.get("mode", "rw"), args.get("host_name"))
        elif action == "os-begin_detaching":
            attachment_services.begin_detaching(ctx, volume_id)
        elif action == "os-roll_detaching":
            attachment_services.roll_detaching(ctx, volume_id)
        elif action == "os-detach":
            attachment_services.detach(ctx, volume_id, args.get("attachment_id"))
        elif action == "os-volume_upload_image":
            volume, image = volume_services.upload_to_image(
                ctx, volume_id, args.get("image_name"), args.get("disk_format", "raw"),
                args.get("container_format", "bare"), args.get("force", False), args.get("visibility", "private"),
                args.get("protected", False))
            return Response({"os-volume_upload_image": {
                "id": volume.id, "updated_at": render.ts(volume.updated_at), "status": volume.status,
                "display_description": volume.description, "size": volume.size,
                "volume_type": render.volume_type(volume.volume_type), "image_id": image.id,
                "container_format": image.container_format, "disk_format": image.disk_format,
                "image_name": image.name}}, status=202)
        elif action == "os-force_delete":
            enforce(ctx, "volume:reset_status")
            volume_services.delete_volume(ctx, volume_id, cascade=True, force=True)
        else:
            volume_services.get_volume(ctx, volume_id)
            raise BadRequest(f"Invalid input received: There is no such action: {action}")
        return Response(status=202)


# -- types -----------------------------------------------------------------------------------------

class TypeListView(CinderView):
    def get(self, request, project_id):
        rows = type_services.list_types(self.ctx, request.query_params.get("is_public"))
        return Response({"volume_types": [render.volume_type(r) for r in rows]})

    def post(self, request, project_id):
        body = self.body("volume_type")
        row = type_services.create_type(self.ctx, body.get("name"), body.get("description"),
                                        body.get("os-volume-type-access:is_public", body.get("is_public", True)),
                                        body.get("extra_specs"))
        return Response({"volume_type": render.volume_type(row)})


class DefaultTypeView(CinderView):
    def get(self, request, project_id):
        return Response({"volume_type": render.volume_type(type_services.default_type(self.ctx))})


class TypeView(CinderView):
    def get(self, request, project_id, type_id):
        return Response({"volume_type": render.volume_type(type_services.get_type(self.ctx, type_id))})

    def put(self, request, project_id, type_id):
        body = self.body("volume_type")
        row = type_services.update_type(self.ctx, type_id, body.get("name"), body.get("description"),
                                        body.get("is_public"))
        return Response({"volume_type": render.volume_type(row)})

    def delete(self, request, project_id, type_id):
        type_services.delete_type(self.ctx, type_id)
        return Response(status=202)


class ExtraSpecsView(CinderView):
    def get(self, request, project_id, type_id):
        return Response({"extra_specs": type_services.get_extra_specs(self.ctx, type_id)})

    def post(self, request, project_id, type_id):
        specs = self.body("extra_specs")
        type_services.set_extra_specs(self.ctx, type_id, specs)
        return Response({"extra_specs": {k: str(v) for k, v in specs.items()}})


class ExtraSpecView(CinderView):
    def get(self, request, project_id, type_id, key):
        specs = type_services.get_extra_specs(self.ctx, type_id)
        if key not in specs:
            raise NotFound(f"Volume Type {type_id} has no extra specs with key {key}.")
        return Response({key: specs[key]})

    def put(self, request, project_id, type_id, key):
        body = self.body()
        if list(body) != [key]:
            raise BadRequest("Invalid input received: Request body and URI mismatch")
        type_services.set_extra_specs(self.ctx, type_id, body)
        return Response({key: str(body[key])})

    def delete(self, request, project_id, type_id, key):
        type_services.delete_extra_spec(self.ctx, type_id, key)
        return Response(status=202)


class TypeAccessView(CinderView):
    def get(self, request, project_id, type_id):
        projects = type_services.list_access(self.ctx, type_id)
        return Response({"volume_type_access": [{"volume_type_id": type_id, "project_id": p} for p in projects]})


class TypeActionView(CinderView):
    def post(self, request, project_id, type_id):
        body = self.body()
        if "addProjectAccess" in body:
            type_services.add_access(self.ctx, type_id, self.body("addProjectAccess").get("project"))
        elif "removeProjectAccess" in body:
            type_services.remove_access(self.ctx, type_id, self.body("removeProjectAccess").get("project"))
        else:
            raise BadRequest("Invalid input received: unknown volume type action.")
        return Response(status=202)


# -- snapshots -------------------------------------------------------------------------------------

class SnapshotListView(CinderView):
    def get(self, request, project_id):
        rows, more = snapshot_services.list_snapshots(self.ctx, self.params())
        return Response(_paged(request, "snapshots", rows, more, lambda r: render.snapshot(request, r),
                               "snapshots"))

    def post(self, request, project_id):
        body = self.body("snapshot")
        if not body.get("volume_id"):
            raise BadRequest("Invalid input received: volume_id is required.")
        row = snapshot_services.create_snapshot(self.ctx, body["volume_id"], body.get("name") or body.get(
            "display_name"), body.get("description") or body.get("display_description"), body.get("force", False),
            body.get("metadata"))
        return Response({"snapshot": render.snapshot(request, row)}, status=202)


class SnapshotView(CinderView):
    def get(self, request, project_id, snapshot_id):
        return Response({"snapshot": render.snapshot(request, snapshot_services.get_snapshot(self.ctx, snapshot_id))})

    def put(self, request, project_id, snapshot_id):
        body = self.body("snapshot")
        fields = {k: body[k] for k in ("name", "description", "metadata") if k in body}
        row = snapshot_services.update_snapshot(self.ctx, snapshot_id, fields)
        return Response({"snapshot": render.snapshot(request, row)})

    def delete(self, request, project_id, snapshot_id):
        snapshot_services.delete_snapshot(self.ctx, snapshot_id)
        return Response(status=202)


class SnapshotActionView(CinderView):
    def post(self, request, project_id, snapshot_id):
        body = self.body()
        if "os-reset_status" in body:
            snapshot_services.reset_snapshot_status(self.ctx, snapshot_id, self.body("os-reset_status").get("status"))
        elif "os-force_delete" in body:
            enforce(self.ctx, "volume:reset_status")
            snapshot_services.delete_snapshot(self.ctx, snapshot_id)
        else:
            raise BadRequest("Invalid input received: unknown snapshot action.")
        return Response(status=202)


# -- backups ---------------------------------------------------------------------------------------

class BackupListView(CinderView):
    detail = False

    def get(self, request, project_id):
        rows, more = backup_services.list_backups(self.ctx, self.params())
        return Response(_paged(request, "backups", rows, more,
                               lambda r: render.backup(request, r, summary=not self.detail), "backups"))

    def post(self, request, project_id):
        body = self.body("backup")
        if not body.get("volume_id"):
            raise BadRequest("Invalid input received: volume_id is required.")
        row = backup_services.create_backup(self.ctx, body["volume_id"], body.get("name"), body.get("description"),
                                            body.get("incremental", False), body.get("force", False),
                                            body.get("container"), body.get("metadata"))
        return Response({"backup": {"id": row.id, "name": row.name,
                                    "links": render.links(request, row.project_id, "backups", row.id)}}, status=202)


class BackupDetailListView(BackupListView):
    detail = True

    def post(self, request, project_id):
        raise NotFound("The resource could not be found.")


class BackupView(CinderView):
    def get(self, request, project_id, backup_id):
        return Response({"backup": render.backup(request, backup_services.get_backup(self.ctx, backup_id))})

    def delete(self, request, project_id, backup_id):
        backup_services.delete_backup(self.ctx, backup_id)
        return Response(status=202)


class BackupRestoreView(CinderView):
    def post(self, request, project_id, backup_id):
        body = self.body("restore")
        backup, volume = backup_services.restore_backup(self.ctx, backup_id, body.get("volume_id"), body.get("name"))
        return Response({"restore": {"backup_id": backup.id, "volume_id": volume.id, "volume_name": volume.name}},
                        status=202)


class BackupActionView(CinderView):
    def post(self, request, project_id, backup_id):
        body = self.body()
        if "os-reset_status" in body:
            backup_services.reset_backup_status(self.ctx, backup_id, self.body("os-reset_status").get("status"))
        elif "os-force_delete" in body:
            enforce(self.ctx, "volume:reset_status")
            backup_services.delete_backup(self.ctx, backup_id, force=True)
        else:
            raise BadRequest("Invalid input received: unknown backup action.")
        return Response(status=202)


# -- attachments (3.27+) ---------------------------------------------------------------------------

class AttachmentListView(CinderView):
    def get(self, request, project_id):
        rows = attachment_services.list_attachments(self.ctx, self.params())
        return Response({"attachments": [render.attachment(r) for r in rows]})

    def post(self, request, project_id):
        if not self.at_least("3.27"):
            raise NotFound("The resource could not be found.")
        body = self.body("attachment")
        volume_id = body.get("volume_uuid") or body.get("volume_id")
        if not volume_id:
            raise BadRequest("Invalid input received: volume_uuid is required.")
        row = attachment_services.create_attachment(self.ctx, volume_id, body.get("instance_uuid"),
                                                    body.get("connector"), body.get("mode", "rw"))
        return Response({"attachment": render.attachment(row)})


class AttachmentView(CinderView):
    def get(self, request, project_id, attachment_id):
        return Response({"attachment": render.attachment(attachment_services.get_attachment(self.ctx,
                                                                                              attachment_id))})

    def put(self, request, project_id, attachment_id):
        body = self.body("attachment")
        row = attachment_services.update_attachment(self.ctx, attachment_id, body.get("connector"))
        return Response({"attachment": render.attachment(row)})

    def delete(self, request, project_id, attachment_id):
        attachment_services.delete_attachment(self.ctx, attachment_id)
        return Response({"attachments": []})


class AttachmentActionView(CinderView):
    def post(self, request, project_id, attachment_id):
        body = self.body()
        if "os-complete" not in body:
            raise BadRequest("Invalid input received: unknown attachment action.")
        attachment_services.complete_attachment(self.ctx, attachment_id)
        return Response(status=204)


# -- quotas, limits, services, pools, messages, zones ----------------------------------------------

def _quota_set(project_id, usage=False):
    limits = quotas.limits(project_id, "volume")
    if not usage:
        return {"id": project_id, **limits}
    used = quotas.usage(project_id, "volume")
    return {"id": project_id, **{k: {"limit": v, "in_use": used.get(k, 0), "reserved": 0, "allocated": 0}
                                 for k, v in limits.items()}}


class QuotaSetView(CinderView):
    def get(self, request, project_id, target):
        enforce(self.ctx, "volume:quota_get", {"project_id": target})
        usage = str(request.query_params.get("usage", "")).lower() == "true"
        return Response({"quota_set": _quota_set(target, usage)})

    def put(self, request, project_id, target):
        enforce(self.ctx, "volume:quota_update", {"project_id": target})
        body = self.body("quota_set")
        known = quotas.resources("volume")
        values = {}
        for key, value in body.items():
            if key not in known:
                continue  # per-type keys and others the client may send: nothing to enforce
            if isinstance(value, str) and value.lstrip("-").isdigit():
                value = int(value)
            values[key] = value
        quotas.set_limits(target, values)
        return Response({"quota_set": {k: v for k, v in _quota_set(target).items() if k != "id"}})

    def delete(self, request, project_id, target):
        enforce(self.ctx, "volume:quota_update", {"project_id": target})
        quotas.reset_limits(target, "volume")
        return Response(status=200)


class QuotaDefaultsView(CinderView):
    def get(self, request, project_id, target):
        enforce(self.ctx, "volume:quota_get", {"project_id": target})
        return Response({"quota_set": {"id": target, **quotas.defaults("volume")}})


class LimitsView(CinderView):
    def get(self, request, project_id):
        target = self.ctx.project_id
        limits = quotas.limits(target, "volume")
        used = quotas.usage(target, "volume")
        return Response({"limits": {"rate": [], "absolute": {
            "maxTotalVolumes": limits["volumes"], "maxTotalSnapshots": limits["snapshots"],
            "maxTotalVolumeGigabytes": limits["gigabytes"], "maxTotalBackups": limits["backups"],
            "maxTotalBackupGigabytes": limits["backup_gigabytes"], "totalVolumesUsed": used["volumes"],
            "totalGigabytesUsed": used["gigabytes"], "totalSnapshotsUsed": used["snapshots"],
            "totalBackupsUsed": used["backups"], "totalBackupGigabytesUsed": used["backup_gigabytes"]}}})


class ServicesView(CinderView):
    def get(self, request, project_id):
        rows = backend_services.list_services(self.ctx, request.query_params.get("host"),
                                              request.query_params.get("binary"))
        return Response({"services": [render.service(r) for r in rows]})


class ServiceActionView(CinderView):
    def put(self, request, project_id, action):
        body = self.body()
        disabled = action in ("disable", "disable-log-reason")
        row = backend_services.set_service_disabled(self.ctx, body.get("host"), body.get("binary"), disabled,
                                                    body.get("disabled_reason"))
        return Response({"host": row.host, "binary": row.binary, "status": "disabled" if disabled else "enabled",
                         "disabled": disabled, "disabled_reason": row.disabled_reason})


class PoolsView(CinderView):
    def get(self, request, project_id):
        detail = str(request.query_params.get("detail", "")).lower() == "true"
        rows = backend_services.list_pools(self.ctx, request.query_params.get("volume_type"))
        return Response({"pools": [render.pool(r, detail) for r in rows]})


class CapabilitiesView(CinderView):
    def get(self, request, project_id, host):
        rows = [r for r in backend_services.list_pools(self.ctx) if r.service_host == host or r.name == host]
        if not rows:
            raise NotFound(f"Host {host} could not be found.")
        caps = rows[0].capabilities
        return Response({"namespace": f"OS::Storage::Capabilities::{host}", "vendor_name": caps.get("vendor_name"),
                         "volume_backend_name": rows[0].backend, "pool_name": rows[0].pool,
                         "driver_version": caps.get("driver_version"), "storage_protocol": caps.get("storage_protocol"),
                         "display_name": None, "description": None, "visibility": None, "replication_targets": [],
                         "properties": {}})


class MessageListView(CinderView):
    def get(self, request, project_id):
        queryset = Message.objects.filter(expires_at__gt=timezone.now())
        if not self.ctx.is_admin:
            queryset = queryset.filter(project_id=self.ctx.project_id)
        if request.query_params.get("resource_uuid"):
            queryset = queryset.filter(resource_uuid=request.query_params["resource_uuid"])
        return Response({"messages": [render.message(m) for m in queryset.order_by("-created_at")[:1000]]})


class MessageView(CinderView):
    def get(self, request, project_id, message_id):
        row = Message.objects.filter(pk=message_id).first()
        if row is None or (row.project_id != self.ctx.project_id and not self.ctx.is_admin):
            raise NotFound(f"Message {message_id} could not be found.")
        return Response({"message": render.message(row)})


class AvailabilityZonesView(CinderView):
    def get(self, request, project_id):
        from storage.volumes.models import Backend

        zones = sorted(set(Backend.objects.values_list("availability_zone", flat=True))) or ["nova"]
        return Response({"availabilityZoneInfo": [{"zoneName": z, "zoneState": {"available": True}}
                                                  for z in zones]})


class ExtensionsView(CinderView):
    def get(self, request, project_id):
        return Response({"extensions": []})

