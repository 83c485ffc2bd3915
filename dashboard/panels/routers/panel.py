from dashboard.registry import Panel

PANEL = Panel(slug="routers", name="Routers", group="project", order=50, icon="bi-router")
