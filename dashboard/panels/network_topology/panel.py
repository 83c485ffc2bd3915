from dashboard.registry import Panel

PANEL = Panel(slug="network_topology", name="Network Topology", group="project", order=45, icon="bi-bezier2")
