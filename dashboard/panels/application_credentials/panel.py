from dashboard.registry import Panel

# The caller's own application credentials: every user may manage theirs, so the panel sits in the
# Project group (the Identity group is for cloud admins).
PANEL = Panel(slug="application_credentials", name="Application Credentials", group="project", order=90,
              role="reader", icon="bi-key")
