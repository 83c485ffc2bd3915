from dashboard.registry import Panel

PANEL = Panel(slug="flavors", name="Flavors", group="admin", order=60, icon="bi-sliders")
