from dashboard.registry import Panel

PANEL = Panel(slug="hypervisors", name="Hypervisors", group="admin", order=10, icon="bi-pc-display")
