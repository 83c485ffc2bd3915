"""The network topology: an SVG drawn on the server. Networks are vertical bars; each router and
instance is a box on its own row, joined by a horizontal line to every network it has a port on."""

from django.urls import reverse

from dashboard.panels._network import instance_url
from compute.services.servers import server_names
from dashboard.views.base import PanelView
from network.services.topology import project_topology

LEFT = 20
BOX_WIDTH, BOX_HEIGHT = 150, 44
FIRST_BAR_X = LEFT + BOX_WIDTH + 70
BAR_GAP, BAR_WIDTH = 120, 22
TOP, ROW_GAP = 70, 70
COLORS = ["#0d6efd", "#198754", "#6f42c1", "#d63384", "#fd7e14", "#20c997", "#6610f2", "#0dcaf0"]
EXTERNAL_COLOR = "#6c757d"


def layout(topology, instance_names=None):
    bars = {}
    for index, net in enumerate(topology["networks"]):
        bars[net["id"]] = {
            **net, "x": FIRST_BAR_X + index * BAR_GAP,
            "color": EXTERNAL_COLOR if net["external"] else COLORS[index % len(COLORS)],
            "url": reverse("dashboard:project:networks:detail", args=[net["id"]]),
        }
    devices = []
    for kind, items in (("router", topology["routers"]), ("instance", topology["instances"])):
        for item in items:
            row = len(devices)
            y = TOP + 20 + row * ROW_GAP
            if kind == "router":
                url = reverse("dashboard:project:routers:detail", args=[item["id"]])
                label = item["name"]
            else:
                url = instance_url(item["id"])
                label = (instance_names or {}).get(item["id"]) or f"instance {item['id'][:8]}"
            links = []
            for link in item["links"]:
                bar = bars[link["network_id"]]
                links.append({**link, "x": bar["x"] + BAR_WIDTH / 2, "color": bar["color"]})
            # Longest line first, so each segment shows the colour of the nearest network it reaches.
            links.sort(key=lambda link: -link["x"])
            devices.append({"kind": kind, "id": item["id"], "label": label, "url": url, "y": y,
                            "center_y": y + BOX_HEIGHT / 2, "links": links,
                            "line_end": max([l["x"] for l in links], default=LEFT + BOX_WIDTH)})
    height = TOP + 40 + max(len(devices), 1) * ROW_GAP
    for bar in bars.values():
        bar["height"] = height - TOP - 10
    width = FIRST_BAR_X + max(len(bars), 1) * BAR_GAP + 40
    return {"bars": list(bars.values()), "devices": devices, "width": width, "height": height,
            "box_width": BOX_WIDTH, "box_height": BOX_HEIGHT, "left": LEFT, "top": TOP, "bar_width": BAR_WIDTH}


class TopologyView(PanelView):
    template_name = "dashboard/network/topology.html"
    page_title = "Network Topology"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topology = project_topology(self.request.ctx)
        context["topology"] = topology
        names = server_names(self.request.ctx, [item["id"] for item in topology["instances"]])
        context["drawing"] = layout(topology, names)
        return context
