from dashboard.registry import Panel

PANEL = Panel(slug="ldap", name="LDAP Domains", group="identity", order=60, icon="bi-diagram-3")
