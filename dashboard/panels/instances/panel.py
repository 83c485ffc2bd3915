from dashboard.registry import Panel

PANEL = Panel(slug="instances", name="Instances", group="project", order=10, icon="bi-hdd-stack",
              overview="dashboard.panels.instances.views.overview_cards")
