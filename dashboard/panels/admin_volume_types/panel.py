from dashboard.registry import Panel

PANEL = Panel(slug="volume_types", name="Volume Types", group="admin", order=32, icon="bi-tags")
