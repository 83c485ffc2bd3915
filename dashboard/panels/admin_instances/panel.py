from dashboard.registry import Panel

PANEL = Panel(slug="instances", name="Instances", group="admin", order=20, icon="bi-hdd-stack")
