from dashboard.registry import Panel

PANEL = Panel(slug="images", name="Images", group="project", order=30, icon="bi-disc")
