"""Launch Instance (quota-aware), resize, rebuild and snapshot forms. Choices come from the services."""

import base64

from django import forms

from compute import services
from compute.services import limits
from dashboard.forms import DashboardForm


def _image_choices(ctx):
    from storage.images import services as image_services

    rows = image_services.list_images(ctx, {"limit": ["1000"], "status": ["active"]})[0]
    return [(i.id, i.name or i.id) for i in rows]


def _flavor_choices(ctx):
    return [(f.flavorid, f"{f.name} ({f.vcpus} vCPU, {f.memory_mb} MB RAM, {f.root_gb} GB disk)")
            for f in services.visible_flavors(ctx, None).filter(disabled=False).order_by("memory_mb", "name")]


def _network_choices(ctx):
    from network.services import networks

    rows = networks.list_networks(ctx).filter(external=False).order_by("name")
    if not ctx.is_admin:
        rows = [n for n in rows if n.project_id == ctx.project_id or n.shared]
    return [(n.id, n.name or n.id) for n in rows]


class LaunchForm(DashboardForm):
    name = forms.CharField(max_length=255, label="Instance Name")
    count = forms.IntegerField(min_value=1, max_value=100, initial=1)
    image = forms.ChoiceField(label="Source Image")
    flavor = forms.ChoiceField()
    networks = forms.MultipleChoiceField(required=False, widget=forms.SelectMultiple,
                                         help_text="None selected: the project's network is chosen automatically.")
    key_name = forms.ChoiceField(required=False, label="Key Pair")
    security_groups = forms.CharField(required=False, initial="default",
                                      help_text="Security group names, comma separated.")
    user_data = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                label="Customization Script (user data)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ctx = self.ctx
        self.fields["image"].choices = _image_choices(ctx)
        self.fields["flavor"].choices = _flavor_choices(ctx)
        self.fields["networks"].choices = _network_choices(ctx)
        self.fields["key_name"].choices = [("", "(none)")] + [(k.name, k.name) for k in services.list_keypairs(ctx)]
        self.quota = limits.absolute_limits(ctx)
        q = self.quota
        self.fields["count"].help_text = (
            f"Quota left: {self._left(q['maxTotalInstances'], q['totalInstancesUsed'])} instances, "
            f"{self._left(q['maxTotalCores'], q['totalCoresUsed'])} vCPUs, "
            f"{self._left(q['maxTotalRAMSize'], q['totalRAMUsed'])} MB RAM.")

    @staticmethod
    def _left(limit, used):
        return "unlimited" if limit < 0 else max(0, limit - used)

    def clean(self):
        data = super().clean()
        flavor_id, count = data.get("flavor"), data.get("count") or 1
        if flavor_id:
            flavor = services.get_flavor(self.ctx, flavor_id)
            q = self.quota
            for label, limit, used, need in (("instances", q["maxTotalInstances"], q["totalInstancesUsed"], count),
                                             ("vCPUs", q["maxTotalCores"], q["totalCoresUsed"], count * flavor.vcpus),
                                             ("RAM (MB)", q["maxTotalRAMSize"], q["totalRAMUsed"],
                                              count * flavor.memory_mb)):
                if limit >= 0 and used + need > limit:
                    raise forms.ValidationError(f"Quota exceeded for {label}: {need} requested, "
                                                f"{max(0, limit - used)} left.")
        return data

    def launch(self):
        data = self.cleaned_data
        groups = [g.strip() for g in (data.get("security_groups") or "").split(",") if g.strip()]
        user_data = data.get("user_data")
        return services.create_server(
            self.ctx, name=data["name"], flavor_ref=data["flavor"], image_ref=data["image"],
            networks=[{"uuid": n} for n in data["networks"]] if data["networks"] else "auto",
            key_name=data.get("key_name") or None, security_groups=[{"name": g} for g in groups] or None,
            user_data=base64.b64encode(user_data.encode()).decode() if user_data else None,
            min_count=data["count"], max_count=data["count"])


class ResizeForm(DashboardForm):
    flavor = forms.ChoiceField(label="New Flavor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flavor"].choices = _flavor_choices(self.ctx)


class RebuildForm(DashboardForm):
    image = forms.ChoiceField(label="Image")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].choices = _image_choices(self.ctx)


class SnapshotForm(DashboardForm):
    name = forms.CharField(max_length=255, label="Snapshot Name")
