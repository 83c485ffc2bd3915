from dashboard.registry import Panel

PANEL = Panel(slug="snapshots", name="Volume Snapshots", group="project", order=25, icon="bi-camera")
