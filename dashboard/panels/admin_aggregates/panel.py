from dashboard.registry import Panel

PANEL = Panel(slug="aggregates", name="Host Aggregates", group="admin", order=15, icon="bi-collection")
