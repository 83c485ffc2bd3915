"""The project overview at /dashboard/project/: a card grid. Panels add cards through PANEL.overview."""

from django.utils.module_loading import import_string
from django.views.generic import TemplateView

from dashboard import registry


class OverviewView(TemplateView):
    template_name = "dashboard/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cards = []
        for panel in registry.discover():
            if panel.overview and panel.allowed(self.request.ctx):
                cards.extend(import_string(panel.overview)(self.request) or [])
        context["cards"] = cards
        context["page_title"] = "Overview"
        context["breadcrumbs"] = [("Project", None), ("Overview", None)]
        context["project_panels"] = [p for p in registry.discover()
                                     if p.group == "project" and p.allowed(self.request.ctx)]
        return context
