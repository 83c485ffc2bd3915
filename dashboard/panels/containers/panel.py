from dashboard.registry import Panel

PANEL = Panel(slug="containers", name="Containers", group="project", order=80, icon="bi-archive")
