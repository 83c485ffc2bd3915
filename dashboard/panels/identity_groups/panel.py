from dashboard.registry import Panel

PANEL = Panel(slug="groups", name="Groups", group="identity", order=30, icon="bi-people")
