from dashboard.registry import Panel

PANEL = Panel(slug="volumes", name="Volumes", group="project", order=20, icon="bi-hdd",
              overview="dashboard.panels.volumes.views.overview_cards")
