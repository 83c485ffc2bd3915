from django import forms

from dashboard.forms import DashboardForm


class SecurityGroupForm(DashboardForm):
    name = forms.CharField(max_length=255)
    description = forms.CharField(max_length=255, required=False)


class RuleForm(DashboardForm):
    direction = forms.ChoiceField(choices=[("ingress", "Ingress"), ("egress", "Egress")])
    ethertype = forms.ChoiceField(choices=[("IPv4", "IPv4"), ("IPv6", "IPv6")], label="Ether type")
    protocol = forms.ChoiceField(choices=[("tcp", "TCP"), ("udp", "UDP"), ("icmp", "ICMP"), ("", "Any")])
    port_range_min = forms.IntegerField(required=False, min_value=0, max_value=65535,
                                        label="Port (or from) / ICMP type")
    port_range_max = forms.IntegerField(required=False, min_value=0, max_value=65535,
                                        label="To port / ICMP code", help_text="Empty: the same as the first.")
    remote_ip_prefix = forms.CharField(max_length=64, required=False, label="Remote CIDR",
                                       help_text="e.g. 0.0.0.0/0; empty: any.")
    description = forms.CharField(max_length=255, required=False)

    def body(self, group_id):
        data = self.cleaned_data
        body = {"security_group_id": group_id, "direction": data["direction"], "ethertype": data["ethertype"],
                "protocol": data["protocol"] or None, "description": data["description"]}
        if data["port_range_min"] is not None:
            body["port_range_min"] = data["port_range_min"]
            if data["protocol"] in ("tcp", "udp"):
                body["port_range_max"] = data["port_range_max"] if data["port_range_max"] is not None \
                    else data["port_range_min"]
            elif data["port_range_max"] is not None:
                body["port_range_max"] = data["port_range_max"]
        if data["remote_ip_prefix"]:
            body["remote_ip_prefix"] = data["remote_ip_prefix"]
        return body
