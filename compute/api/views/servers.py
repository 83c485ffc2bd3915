"""/servers: create, list, show, update, delete; metadata, ips, interfaces, volume attachments, actions log."""

from rest_framework.response import Response

from compute import services
from compute.api import render
from compute.api.views.base import ComputeView
from compute.models import InstanceAction
from compute.services.servers import SORT_KEYS
from core.api import paging
from core.exceptions import BadRequest, NotFound

LIST_FILTERS = ("name", "status", "image", "flavor", "changes-since", "changes_since", "host", "node",
                "all_tenants", "project_id", "tenant_id", "deleted", "ip", "reservation_id", "availability_zone",
                "locked")


class ServerListView(ComputeView):
    detail = False

    def get(self, request):
        params = request.query_params
        filters = {k: params.get(k) for k in LIST_FILTERS if params.get(k) is not None}
        sort = paging.parse_sort(params.getlist("sort_key"), params.getlist("sort_dir"), SORT_KEYS,
                                 default=(("created_at", "desc"),))
        limit, marker = self.limit_marker()
        rows, more = services.list_servers(self.ctx, filters, limit, marker, sort)
        if self.detail:
            base, is_admin = render.base_url(request), self.ctx.is_admin
            from compute.services.volumes import annotate

            annotate(rows)
            servers = [render.server(request, i, is_admin, base) for i in rows]
        else:
            servers = [render.server_brief(request, i) for i in rows]
        body = {"servers": servers}
        next_links = render.collection_links(request, "servers" + ("/detail" if self.detail else ""), rows, more)
        if next_links:
            body["servers_links"] = next_links
        return Response(body)

    def post(self, request):
        body = self.body("server")
        hints = request.data.get("os:scheduler_hints") or request.data.get("OS-SCH-HNT:scheduler_hints")
        instances, password = services.create_server(
            self.ctx, name=self.member("name", body), flavor_ref=self.member("flavorRef", body),
            image_ref=body.get("imageRef"), networks=body.get("networks"),
            block_device_mapping=body.get("block_device_mapping_v2"), key_name=body.get("key_name"),
            user_data=body.get("user_data"), metadata=body.get("metadata"),
            availability_zone=body.get("availability_zone"), security_groups=body.get("security_groups"),
            config_drive=body.get("config_drive", False), min_count=body.get("min_count", 1),
            max_count=body.get("max_count"), scheduler_hints=hints, admin_pass=body.get("adminPass"),
            access_ip_v4=body.get("accessIPv4"), access_ip_v6=body.get("accessIPv6"))
        if body.get("return_reservation_id"):
            return Response({"reservation_id": instances[0].reservation_id}, status=202)
        first = instances[0]
        result = {"id": first.id, "links": render.links(request, "servers", first.id), "adminPass": password,
                  "OS-DCF:diskConfig": "MANUAL", "security_groups": first.security_groups}
        return Response({"server": result}, status=202,
                        headers={"Location": f"{render.base_url(request)}/v2.1/servers/{first.id}"})


class ServerDetailListView(ServerListView):
    detail = True

    def post(self, request):
        raise NotFound("The resource could not be found.")


class ServerView(ComputeView):
    def get(self, request, server_id):
        instance = services.get_server(self.ctx, server_id)
        from compute.services.volumes import annotate

        annotate([instance])
        return Response({"server": render.server(request, instance, self.ctx.is_admin)})

    def put(self, request, server_id):
        body = self.body("server")
        unknown = set(body) - {"name", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig"}
        if unknown:
            raise BadRequest(f"Additional properties are not allowed ({', '.join(sorted(unknown))} unexpected)")
        instance = services.update_server(self.ctx, server_id, name=body.get("name"),
                                          access_ip_v4=body.get("accessIPv4"), access_ip_v6=body.get("accessIPv6"))
        return Response({"server": render.server(request, instance, self.ctx.is_admin)})

    def delete(self, request, server_id):
        services.delete_server(self.ctx, server_id)
        return Response(status=204)


class MetadataView(ComputeView):
    def get(self, request, server_id):
        return Response({"metadata": services.get_server(self.ctx, server_id).metadata})

    def post(self, request, server_id):
        metadata = self.body("metadata")
        return Response({"metadata": services.update_metadata(self.ctx, server_id, metadata)})

    def put(self, request, server_id):
        metadata = self.body("metadata")
        return Response({"metadata": services.update_metadata(self.ctx, server_id, metadata, replace=True)})


class MetadataItemView(ComputeView):
    def get(self, request, server_id, key):
        metadata = services.get_server(self.ctx, server_id).metadata
        if key not in metadata:
            raise NotFound(f"Metadata item was not found: {key}")
        return Response({"meta": {key: metadata[key]}})

    def put(self, request, server_id, key):
        meta = self.body("meta")
        if list(meta) != [key]:
            raise BadRequest("Request body and URI mismatch")
        services.update_metadata(self.ctx, server_id, meta)
        return Response({"meta": meta})

    def delete(self, request, server_id, key):
        services.delete_metadata_item(self.ctx, server_id, key)
        return Response(status=204)


class IpsView(ComputeView):
    def get(self, request, server_id):
        return Response({"addresses": render.addresses(services.get_server(self.ctx, server_id).network_info)})


class InterfacesView(ComputeView):
    def get(self, request, server_id):
        ports = services.interfaces(self.ctx, server_id)
        return Response({"interfaceAttachments": [
            {"port_id": p.get("port_id"), "net_id": p.get("network_id"), "mac_addr": p.get("mac_address"),
             "port_state": p.get("status", "ACTIVE"),
             "fixed_ips": [{"ip_address": f.get("ip_address"), "subnet_id": f.get("subnet_id")}
                           for f in p.get("fixed_ips") or []]} for p in ports]})


class VolumeAttachmentsView(ComputeView):
    def get(self, request, server_id):
        from compute.services import volumes

        return Response({"volumeAttachments": volumes.list_attachments(self.ctx, server_id)})

    def post(self, request, server_id):
        from compute.services import volumes

        body = self.body("volumeAttachment")
        attachment = volumes.attach_volume(self.ctx, server_id, body.get("volumeId"), body.get("device"))
        return Response({"volumeAttachment": attachment})


class VolumeAttachmentView(ComputeView):
    def get(self, request, server_id, volume_id):
        from compute.services import volumes

        return Response({"volumeAttachment": volumes.get_attachment(self.ctx, server_id, volume_id)})

    def delete(self, request, server_id, volume_id):
        from compute.services import volumes

        volumes.detach_volume(self.ctx, server_id, volume_id)
        return Response(status=202)


class InstanceActionsView(ComputeView):
    def get(self, request, server_id):
        instance = services.get_server(self.ctx, server_id, action="os_compute_api:os-instance-actions:list")
        actions = InstanceAction.objects.filter(instance=instance).order_by("-start_time", "-id")
        return Response({"instanceActions": [render.instance_action(a) for a in actions]})


class InstanceActionView(ComputeView):
    def get(self, request, server_id, request_id):
        instance = services.get_server(self.ctx, server_id, action="os_compute_api:os-instance-actions:show")
        action = InstanceAction.objects.filter(instance=instance, request_id=request_id).first()
        if action is None:
            raise NotFound(f"Action for request_id {request_id} on instance {server_id} not found")
        events = list(action.events.order_by("start_time", "id"))
        return Response({"instanceAction": render.instance_action(action, events, with_traceback=self.ctx.is_admin)})
