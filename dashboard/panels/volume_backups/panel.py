from dashboard.registry import Panel

PANEL = Panel(slug="backups", name="Volume Backups", group="project", order=27, icon="bi-archive")
