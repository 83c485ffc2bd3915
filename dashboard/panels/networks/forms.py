import ipaddress

from django import forms

from dashboard.forms import DashboardForm


def _cidr(value):
    try:
        ipaddress.ip_network(value)
    except ValueError as error:
        raise forms.ValidationError(f"Not a valid network address: {error}") from None
    return value


class SubnetFields(DashboardForm):
    subnet_name = forms.CharField(max_length=255, required=False, label="Subnet name")
    cidr = forms.CharField(max_length=64, required=False, label="Network address (CIDR)",
                           help_text="e.g. 192.168.0.0/24 or fd00::/64", validators=[_cidr])
    gateway_ip = forms.CharField(max_length=64, required=False, label="Gateway IP",
                                 help_text="Empty: the first address of the subnet.")
    disable_gateway = forms.BooleanField(required=False, label="Disable gateway")
    enable_dhcp = forms.BooleanField(required=False, initial=True, label="Enable DHCP")

    def subnet_body(self):
        data = self.cleaned_data
        if not data.get("cidr"):
            return None
        body = {"name": data["subnet_name"], "cidr": data["cidr"],
                "ip_version": ipaddress.ip_network(data["cidr"]).version, "enable_dhcp": data["enable_dhcp"]}
        if data["disable_gateway"]:
            body["gateway_ip"] = None
        elif data.get("gateway_ip"):
            body["gateway_ip"] = data["gateway_ip"]
        return body


class CreateNetworkForm(SubnetFields):
    name = forms.CharField(max_length=255)
    admin_state_up = forms.BooleanField(required=False, initial=True, label="Enable admin state")
    field_order = ["name", "admin_state_up", "subnet_name", "cidr", "gateway_ip", "disable_gateway", "enable_dhcp"]


class CreateSubnetForm(SubnetFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cidr"].required = True


class CreatePortForm(DashboardForm):
    name = forms.CharField(max_length=255, required=False)
    fixed_ip = forms.CharField(max_length=64, required=False, label="Fixed IP address",
                               help_text="Empty: the next free address.")
    admin_state_up = forms.BooleanField(required=False, initial=True, label="Enable admin state")
