from dashboard.registry import Panel

PANEL = Panel(slug="security_groups", name="Security Groups", group="project", order=60, icon="bi-shield-lock")
