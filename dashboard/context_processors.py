"""Template context for dashboard pages: the navigation, the project switcher, the user menu."""

from dashboard import registry, session


def dashboard(request):
    ctx = getattr(request, "ctx", None)
    if ctx is None:
        return {}
    panel = getattr(request, "panel", None)

    def projects():
        return session.projects(ctx)

    return {
        "ctx": ctx,
        "current_panel": panel,
        "navigation": registry.navigation(ctx, panel),
        "switchable_projects": projects,  # called lazily by the top bar only
        "breadcrumbs": [(panel.group_name, None), (panel.name, panel.url_prefix)] if panel else [],
    }
