from dashboard.registry import Panel

PANEL = Panel(slug="floating_ips", name="Floating IPs", group="project", order=70, icon="bi-geo-alt")
