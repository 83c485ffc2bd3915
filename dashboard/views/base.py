"""Base views for panels: pages, table pages and forms in modals. request.ctx is always set here
(DashboardMiddleware), and views only call service functions with it."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.generic import FormView, TemplateView

from core.exceptions import NebulaError


def close_modal_and_refresh(request, url=None):
    """After a successful modal form: htmx reloads the page (or goes to url); plain POSTs redirect."""
    if request.htmx:
        response = HttpResponse(status=204)
        if url:
            response["HX-Redirect"] = url
        else:
            response["HX-Refresh"] = "true"
        return response
    return HttpResponseRedirect(url or request.META.get("HTTP_REFERER") or "/dashboard/")


def run_table_action(request, table):
    """Run the POSTed row ("row:<action>:<id>") or batch ("batch:<action>" + object_ids) action of
    table, report with messages and redirect back to the same page (query string kept)."""
    scope, _, rest = request.POST.get("action", "").partition(":")
    if scope == "row":
        name, _, object_id = rest.partition(":")
        object_ids = [object_id] if object_id else []
    else:
        name, object_ids = rest, request.POST.getlist("object_ids")
    action = table.find_action(scope, name)
    if action is None or not action.allowed(request):
        messages.error(request, "Unknown action.")
    elif not object_ids:
        messages.warning(request, "Select at least one row.")
    else:
        done, failures = action.run(request, object_ids)
        if done:
            messages.success(request, action.success.format(label=action.label, count=done))
        for failure in failures:
            messages.error(request, failure)
    return HttpResponseRedirect(request.get_full_path())


class PanelMixin:
    """page_title and breadcrumbs for a panel page. Breadcrumbs: the group, the panel, then
    whatever get_breadcrumbs() adds as (label, url) pairs (url None for the current page)."""

    page_title = ""

    def get_page_title(self):
        panel = getattr(self.request, "panel", None)
        return self.page_title or (panel.name if panel else "")

    def get_breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panel = getattr(self.request, "panel", None)
        crumbs = []
        if panel is not None:
            crumbs = [(panel.group_name, None), (panel.name, panel.url_prefix)]
        crumbs += self.get_breadcrumbs()
        context.setdefault("breadcrumbs", crumbs)
        context.setdefault("page_title", self.get_page_title())
        return context


class PanelView(PanelMixin, TemplateView):
    """A plain panel page (a detail page, an overview)."""


class TableView(PanelMixin, TemplateView):
    """A page showing one table: GET renders it (?_row=<id> renders only that row, for status
    polling), POST runs a row or batch action and redirects back to the same listing."""

    table_class = None
    template_name = "dashboard/table_page.html"

    def get_data(self):
        raise NotImplementedError

    def get_row(self, row_id):
        """One row for the polling partial; the default looks it up in get_data()."""
        table = self.table_class(self.request, [])
        for row in self.get_data():
            if table.row_id(row) == row_id:
                return row
        return None

    def get_table(self):
        return self.table_class(self.request, self.get_data())

    def get(self, request, *args, **kwargs):
        row_id = request.GET.get("_row")
        if row_id is not None:
            row = self.get_row(row_id)
            if row is None:
                return HttpResponse(status=286)  # htmx: stop polling, the row is gone
            table = self.table_class(request, [])
            return render(request, "dashboard/table/row.html", {"table": table, "r": table.bound_row(row)})
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["table"] = self.get_table()
        return context

    def post(self, request, *args, **kwargs):
        return run_table_action(request, self.table_class(request, []))


class ModalFormView(PanelMixin, FormView):
    """A form shown in the page's modal (htmx GET) or as a page (plain GET). POST: errors re-render
    the form in place; success calls perform(form) and closes the modal and reloads the page.

    perform(form) calls the service; raising NebulaError shows its message on the form. It may
    return an HttpResponse (e.g. a page showing a secret once) which is then sent as is.
    """

    template_name = "dashboard/modal_form.html"
    submit_label = "Submit"
    success_message = ""
    success_url = None  # None: reload the page the modal was opened from

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self):
        return self.success_url

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["base_template"] = "dashboard/modal_partial.html" if self.request.htmx else "dashboard/base.html"
        context["submit_label"] = self.submit_label
        context["form_action"] = self.request.get_full_path()
        return context

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ctx"] = self.request.ctx
        return kwargs

    def form_invalid(self, form):
        if hasattr(form, "mark_invalid"):
            form.mark_invalid()
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except NebulaError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        if isinstance(result, HttpResponse):
            return result
        if self.success_message:
            messages.success(self.request, self.success_message.format(**form.cleaned_data))
        return close_modal_and_refresh(self.request, self.get_success_url())
