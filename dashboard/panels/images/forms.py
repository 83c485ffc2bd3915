from django import forms

from dashboard.forms import DashboardForm

DISK_FORMATS = [(f, f) for f in ["qcow2", "raw", "iso", "vmdk", "vdi", "vhd", "vhdx", "ploop", "aki", "ari", "ami"]]
CONTAINER_FORMATS = [(f, f) for f in ["bare", "ovf", "ova", "docker", "compressed", "aki", "ari", "ami"]]


def visibility_choices(ctx):
    choices = ["private", "shared", "community"]
    if ctx is not None and ctx.is_admin:
        choices.insert(0, "public")
    return [(v, v.title()) for v in choices]


def parse_properties(text):
    """key=value per line -> dict (blank lines ignored)."""
    result = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError(f"Line {number}: write key=value.")
        result[key.strip()] = value.strip()
    return result


class ImageFieldsForm(DashboardForm):
    name = forms.CharField(max_length=255)
    visibility = forms.ChoiceField()
    min_disk = forms.IntegerField(min_value=0, initial=0, label="Minimum disk (GB)")
    min_ram = forms.IntegerField(min_value=0, initial=0, label="Minimum RAM (MB)")
    protected = forms.BooleanField(required=False)
    tags = forms.CharField(required=False, help_text="Comma-separated.")
    properties = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text="One key=value per line (e.g. hw_disk_bus=virtio).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = visibility_choices(self.ctx)
        self.fields["visibility"].initial = "shared"

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean_properties(self):
        return parse_properties(self.cleaned_data["properties"])


class CreateImageForm(ImageFieldsForm):
    disk_format = forms.ChoiceField(choices=DISK_FORMATS, initial="qcow2")
    container_format = forms.ChoiceField(choices=CONTAINER_FORMATS, initial="bare")

    field_order = ["name", "disk_format", "container_format", "visibility", "min_disk", "min_ram", "protected",
                   "tags", "properties"]


class EditImageForm(ImageFieldsForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("visibility")
        if current and current not in dict(self.fields["visibility"].choices):
            self.fields["visibility"].choices = [(current, current.title())] + self.fields["visibility"].choices


class AddMemberForm(DashboardForm):
    member = forms.CharField(max_length=255, label="Project ID")

