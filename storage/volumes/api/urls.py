"""Cinder v3 under /volume. Paths never need a trailing slash (clients send none)."""

from django.urls import re_path

from storage.volumes.api import views

P = r"^/v3/(?P<project_id>[^/]+)"

urlpatterns = [
    re_path(r"^/?$", views.VersionsView.as_view()),
    re_path(r"^/v3/?$", views.VersionView.as_view()),
    re_path(P + r"/volumes/?$", views.VolumeListView.as_view()),
    re_path(P + r"/volumes/detail/?$", views.VolumeDetailListView.as_view()),
    re_path(P + r"/volumes/(?P<volume_id>[^/]+)/?$", views.VolumeView.as_view()),
    re_path(P + r"/volumes/(?P<volume_id>[^/]+)/action/?$", views.VolumeActionView.as_view()),
    re_path(P + r"/volumes/(?P<volume_id>[^/]+)/metadata/?$", views.VolumeMetadataView.as_view()),
    re_path(P + r"/volumes/(?P<volume_id>[^/]+)/metadata/(?P<key>[^/]+)/?$", views.VolumeMetadataItemView.as_view()),
    re_path(P + r"/types/?$", views.TypeListView.as_view()),
    re_path(P + r"/types/default/?$", views.DefaultTypeView.as_view()),
    re_path(P + r"/types/(?P<type_id>[^/]+)/?$", views.TypeView.as_view()),
    re_path(P + r"/types/(?P<type_id>[^/]+)/extra_specs/?$", views.ExtraSpecsView.as_view()),
    re_path(P + r"/types/(?P<type_id>[^/]+)/extra_specs/(?P<key>[^/]+)/?$", views.ExtraSpecView.as_view()),
    re_path(P + r"/types/(?P<type_id>[^/]+)/os-volume-type-access/?$", views.TypeAccessView.as_view()),
    re_path(P + r"/types/(?P<type_id>[^/]+)/action/?$", views.TypeActionView.as_view()),
    re_path(P + r"/snapshots/?$", views.SnapshotListView.as_view()),
    re_path(P + r"/snapshots/detail/?$", views.SnapshotListView.as_view()),
    re_path(P + r"/snapshots/(?P<snapshot_id>[^/]+)/?$", views.SnapshotView.as_view()),
    re_path(P + r"/snapshots/(?P<snapshot_id>[^/]+)/action/?$", views.SnapshotActionView.as_view()),
    re_path(P + r"/backups/?$", views.BackupListView.as_view()),
    re_path(P + r"/backups/detail/?$", views.BackupDetailListView.as_view()),
    re_path(P + r"/backups/(?P<backup_id>[^/]+)/?$", views.BackupView.as_view()),
    re_path(P + r"/backups/(?P<backup_id>[^/]+)/restore/?$", views.BackupRestoreView.as_view()),
    re_path(P + r"/backups/(?P<backup_id>[^/]+)/action/?$", views.BackupActionView.as_view()),
    re_path(P + r"/attachments/?$", views.AttachmentListView.as_view()),
    re_path(P + r"/attachments/detail/?$", views.AttachmentListView.as_view()),
    re_path(P + r"/attachments/(?P<attachment_id>[^/]+)/?$", views.AttachmentView.as_view()),
    re_path(P + r"/attachments/(?P<attachment_id>[^/]+)/action/?$", views.AttachmentActionView.as_view()),
    re_path(P + r"/os-quota-sets/(?P<target>[^/]+)/?$", views.QuotaSetView.as_view()),
    re_path(P + r"/os-quota-sets/(?P<target>[^/]+)/defaults/?$", views.QuotaDefaultsView.as_view()),
    re_path(P + r"/limits/?$", views.LimitsView.as_view()),
    re_path(P + r"/os-services/?$", views.ServicesView.as_view()),
    re_path(P + r"/os-services/(?P<action>enable|disable|disable-log-reason)/?$", views.ServiceActionView.as_view()),
    re_path(P + r"/scheduler-stats/get_pools/?$", views.PoolsView.as_view()),
    re_path(P + r"/capabilities/(?P<host>[^/]+)/?$", views.CapabilitiesView.as_view()),
    re_path(P + r"/messages/?$", views.MessageListView.as_view()),
    re_path(P + r"/messages/(?P<message_id>[^/]+)/?$", views.MessageView.as_view()),
    re_path(P + r"/os-availability-zone/?$", views.AvailabilityZonesView.as_view()),
    re_path(P + r"/extensions/?$", views.ExtensionsView.as_view()),
]
