from dashboard.registry import Panel

PANEL = Panel(slug="users", name="Users", group="identity", order=20, icon="bi-person")
