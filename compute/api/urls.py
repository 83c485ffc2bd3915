"""Nova v2.1 under /compute. Paths never need a trailing slash (clients send none)."""

from django.urls import re_path

from compute.api.views import admin, flavors, keypairs, quotas, server_actions, servers, versions

V = r"^/v2\.1"
ID = r"(?P<{}>[^/]+)"

urlpatterns = [
    re_path(r"^/?$", versions.VersionsView.as_view()),
    re_path(V + r"/?$", versions.VersionView.as_view()),
    re_path(V + r"/flavors/?$", flavors.FlavorListView.as_view()),
    re_path(V + r"/flavors/detail/?$", flavors.FlavorDetailListView.as_view()),
    re_path(V + r"/flavors/(?P<flavor_id>[^/]+)/?$", flavors.FlavorView.as_view()),
    re_path(V + r"/flavors/(?P<flavor_id>[^/]+)/action/?$", flavors.FlavorActionView.as_view()),
    re_path(V + r"/flavors/(?P<flavor_id>[^/]+)/os-flavor-access/?$", flavors.FlavorAccessView.as_view()),
    re_path(V + r"/flavors/(?P<flavor_id>[^/]+)/os-extra_specs/?$", flavors.ExtraSpecsView.as_view()),
    re_path(V + r"/flavors/(?P<flavor_id>[^/]+)/os-extra_specs/(?P<key>[^/]+)/?$", flavors.ExtraSpecView.as_view()),
    re_path(V + r"/os-keypairs/?$", keypairs.KeyPairListView.as_view()),
    re_path(V + r"/os-keypairs/(?P<name>[^/]+)/?$", keypairs.KeyPairView.as_view()),
    re_path(V + r"/servers/?$", servers.ServerListView.as_view()),
    re_path(V + r"/servers/detail/?$", servers.ServerDetailListView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/?$", servers.ServerView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/action/?$", server_actions.ServerActionView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/metadata/?$", servers.MetadataView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/metadata/(?P<key>[^/]+)/?$", servers.MetadataItemView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/ips/?$", servers.IpsView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/os-interface/?$", servers.InterfacesView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/os-volume_attachments/?$", servers.VolumeAttachmentsView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/os-volume_attachments/(?P<volume_id>[^/]+)/?$",
            servers.VolumeAttachmentView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/os-instance-actions/?$", servers.InstanceActionsView.as_view()),
    re_path(V + r"/servers/(?P<server_id>[^/]+)/os-instance-actions/(?P<request_id>[^/]+)/?$",
            servers.InstanceActionView.as_view()),
    re_path(V + r"/limits/?$", quotas.LimitsView.as_view()),
    re_path(V + r"/os-quota-sets/(?P<project_id>[^/]+)/?$", quotas.QuotaSetView.as_view()),
    re_path(V + r"/os-quota-sets/(?P<project_id>[^/]+)/detail/?$", quotas.QuotaSetDetailView.as_view()),
    re_path(V + r"/os-quota-sets/(?P<project_id>[^/]+)/defaults/?$", quotas.QuotaSetDefaultsView.as_view()),
    re_path(V + r"/os-server-groups/?$", quotas.ServerGroupListView.as_view()),
    re_path(V + r"/os-server-groups/(?P<group_id>[^/]+)/?$", quotas.ServerGroupView.as_view()),
    re_path(V + r"/os-services/?$", admin.ServicesView.as_view()),
    re_path(V + r"/os-services/(?P<action>enable|disable|disable-log-reason|force-down)/?$",
            admin.ServiceActionView.as_view()),
    re_path(V + r"/os-services/(?P<service_id>[^/]+)/?$", admin.ServiceView.as_view()),
    re_path(V + r"/os-hypervisors/?$", admin.HypervisorListView.as_view()),
    re_path(V + r"/os-hypervisors/detail/?$", admin.HypervisorDetailListView.as_view()),
    re_path(V + r"/os-hypervisors/statistics/?$", admin.HypervisorStatisticsView.as_view()),
    re_path(V + r"/os-hypervisors/(?P<pattern>[^/]+)/search/?$", admin.HypervisorSearchView.as_view()),
    re_path(V + r"/os-hypervisors/(?P<hypervisor_id>[^/]+)/uptime/?$", admin.HypervisorUptimeView.as_view()),
    re_path(V + r"/os-hypervisors/(?P<hypervisor_id>[^/]+)/?$", admin.HypervisorView.as_view()),
    re_path(V + r"/os-availability-zone/?$", admin.AvailabilityZonesView.as_view()),
    re_path(V + r"/os-availability-zone/detail/?$", admin.AvailabilityZonesDetailView.as_view()),
    re_path(V + r"/os-aggregates/?$", admin.AggregateListView.as_view()),
    re_path(V + r"/os-aggregates/(?P<aggregate_id>[^/]+)/?$", admin.AggregateView.as_view()),
    re_path(V + r"/os-aggregates/(?P<aggregate_id>[^/]+)/action/?$", admin.AggregateActionView.as_view()),
]
