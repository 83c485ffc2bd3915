from dashboard.registry import Panel

PANEL = Panel(slug="projects", name="Projects", group="identity", order=10, icon="bi-folder2")
