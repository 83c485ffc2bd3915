from dashboard.registry import Panel

PANEL = Panel(slug="networks", name="Networks", group="project", order=40, icon="bi-diagram-3",
              overview="dashboard.panels.networks.views.overview_cards")
