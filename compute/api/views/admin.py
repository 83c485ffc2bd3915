"""os-services, os-hypervisors, os-availability-zone, os-aggregates."""

from rest_framework.response import Response

from compute.api import render
from compute.api.views.base import ComputeView
from compute.services import hosts
from core.exceptions import BadRequest, NotFound


class ServicesView(ComputeView):
    def get(self, request):
        rows = hosts.list_services(self.ctx, request.query_params.get("host"), request.query_params.get("binary"))
        return Response({"services": [render.service(s) for s in rows]})


class ServiceActionView(ComputeView):
    """Microversion 2.1's PUT /os-services/{enable,disable,disable-log-reason,force-down} {host, binary}."""

    def put(self, request, action):
        body = self.body()
        host, binary = self.member("host", body), self.member("binary", body)
        if action == "enable":
            service = hosts.update_service(self.ctx, host=host, binary=binary, status="enabled")
        elif action == "disable":
            service = hosts.update_service(self.ctx, host=host, binary=binary, status="disabled")
        elif action == "disable-log-reason":
            service = hosts.update_service(self.ctx, host=host, binary=binary, status="disabled",
                                           disabled_reason=self.member("disabled_reason", body))
        elif action == "force-down":
            service = hosts.update_service(self.ctx, host=host, binary=binary,
                                           forced_down=self.member("forced_down", body))
        else:
            raise NotFound("Unknown action")
        result = {"host": service.host, "binary": service.binary,
                  "status": "disabled" if service.disabled else "enabled"}
        if action == "disable-log-reason":
            result["disabled_reason"] = service.disabled_reason
        if action == "force-down":
            result = {"host": service.host, "binary": service.binary, "forced_down": service.forced_down}
        return Response({"service": result})


class ServiceView(ComputeView):
    def delete(self, request, service_id):
        hosts.delete_service(self.ctx, service_id)
        return Response(status=204)


class HypervisorListView(ComputeView):
    detail = False

    def get(self, request):
        rows = hosts.list_hypervisors(self.ctx, request.query_params.get("hypervisor_hostname_pattern"))
        one = render.hypervisor if self.detail else render.hypervisor_brief
        return Response({"hypervisors": [one(n) for n in rows]})


class HypervisorDetailListView(HypervisorListView):
    detail = True


class HypervisorSearchView(ComputeView):
    def get(self, request, pattern):
        rows = hosts.list_hypervisors(self.ctx, pattern)
        if not rows:
            raise NotFound(f"No hypervisor matching '{pattern}' could be found.")
        return Response({"hypervisors": [render.hypervisor_brief(n) for n in rows]})


class HypervisorStatisticsView(ComputeView):
    def get(self, request):
        return Response({"hypervisor_statistics": hosts.hypervisor_statistics(self.ctx)})


class HypervisorView(ComputeView):
    def get(self, request, hypervisor_id):
        return Response({"hypervisor": render.hypervisor(hosts.get_hypervisor(self.ctx, hypervisor_id))})


class HypervisorUptimeView(ComputeView):
    def get(self, request, hypervisor_id):
        node = hosts.get_hypervisor(self.ctx, hypervisor_id)
        return Response({"hypervisor": {**render.hypervisor_brief(node),
                                        "uptime": " 00:00:00 up 0 days,  0:00,  0 users,  load average: 0.00"}})


class AvailabilityZonesView(ComputeView):
    detail = False

    def get(self, request):
        zones = hosts.availability_zones(self.ctx, detail=self.detail)
        result = []
        for name, info in sorted(zones.items()):
            hosts_body = None
            if self.detail:
                hosts_body = {host: {"nova-compute": {**svc, "updated_at": svc["updated_at"].strftime(
                    "%Y-%m-%dT%H:%M:%S.%f") if svc["updated_at"] else None}} for host, entry in info["hosts"].items()
                    for svc in [entry["nova-compute"]]}
            if not self.detail and not info["available"]:
                continue
            result.append({"zoneName": name, "zoneState": {"available": info["available"]}, "hosts": hosts_body})
        return Response({"availabilityZoneInfo": result})


class AvailabilityZonesDetailView(AvailabilityZonesView):
    detail = True


class AggregateListView(ComputeView):
    def get(self, request):
        return Response({"aggregates": [render.aggregate(a) for a in hosts.list_aggregates(self.ctx)]})

    def post(self, request):
        body = self.body("aggregate")
        row = hosts.create_aggregate(self.ctx, self.member("name", body), body.get("availability_zone"))
        return Response({"aggregate": render.aggregate(row)})


class AggregateView(ComputeView):
    def get(self, request, aggregate_id):
        return Response({"aggregate": render.aggregate(hosts.get_aggregate(self.ctx, aggregate_id))})

    def put(self, request, aggregate_id):
        body = self.body("aggregate")
        row = hosts.update_aggregate(self.ctx, aggregate_id, body.get("name"), body.get("availability_zone"))
        return Response({"aggregate": render.aggregate(row)})

    def delete(self, request, aggregate_id):
        hosts.delete_aggregate(self.ctx, aggregate_id)
        return Response(status=200)


class AggregateActionView(ComputeView):
    def post(self, request, aggregate_id):
        body = self.body()
        if "add_host" in body:
            row = hosts.add_aggregate_host(self.ctx, aggregate_id, self.member("host", body["add_host"]))
        elif "remove_host" in body:
            row = hosts.remove_aggregate_host(self.ctx, aggregate_id, self.member("host", body["remove_host"]))
        elif "set_metadata" in body:
            row = hosts.set_aggregate_metadata(self.ctx, aggregate_id, self.member("metadata", body["set_metadata"]))
        else:
            raise BadRequest("Unknown aggregate action")
        return Response({"aggregate": render.aggregate(row)})
