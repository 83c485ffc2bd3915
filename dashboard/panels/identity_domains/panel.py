from dashboard.registry import Panel

PANEL = Panel(slug="domains", name="Domains", group="identity", order=5, icon="bi-globe2")
