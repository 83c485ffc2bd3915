from dashboard.registry import Panel

PANEL = Panel(slug="key_pairs", name="Key Pairs", group="project", order=15, icon="bi-key")
