from dashboard.registry import Panel

PANEL = Panel(slug="roles", name="Roles", group="identity", order=40, icon="bi-person-badge")
