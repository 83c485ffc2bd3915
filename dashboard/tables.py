"""Reusable tables: columns, server-side sorting, filtering and paging (query string), row, table and
batch actions, and status cells that refresh themselves while a row is in progress.

A table is declared once and given rows (a QuerySet, a list of model objects or a list of dicts):

    class ProjectsTable(tables.Table):
        name = "projects"
        verbose_name = "Projects"
        columns = [
            tables.Column("name", link=lambda row: reverse("dashboard:identity:projects:detail", args=[row.id])),
            tables.Column("description", sortable=False),
            tables.BooleanColumn("enabled"),
        ]
        filter_fields = ["name", "description"]
        table_actions = [tables.ModalAction("create", "Create Project", url="dashboard:identity:projects:create")]
        row_actions = [tables.ModalAction("edit", "Edit", url=lambda row: reverse(..., args=[row.id])),
                       DeleteProject()]
        batch_actions = [DeleteProject()]

Pages showing a table subclass dashboard.views.base.TableView (see dashboard/README.md).
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html

from core.exceptions import NebulaError


def _get(row, name):
    if isinstance(row, dict):
        return row.get(name)
    value = getattr(row, name, None)
    return value() if callable(value) and not isinstance(value, type) else value


def _resolve_url(url, row=None):
    if url is None:
        return None
    if callable(url):
        return url(row) if row is not None else url()
    if url.startswith("/"):
        return url
    return reverse(url)


class Column:
    """A column shows row[name] (attribute, dict key or method); link makes it a link."""

    template = None

    def __init__(self, name, label=None, *, sortable=True, link=None, accessor=None, order_by=None,
                 empty="-", classes="", display=None):
        self.name = name
        self.label = label if label is not None else name.replace("_", " ").title()
        self.sortable = sortable
        self.link = link
        self.accessor = accessor or (lambda row: _get(row, name))
        self.order_by = order_by or name  # the field a QuerySet is ordered by
        self.empty = empty
        self.classes = classes
        self.display = display  # callable(value) -> text

    def value(self, row):
        return self.accessor(row)

    def render(self, row):
        value = self.value(row)
        if value in (None, "", [], ()):
            text = self.empty
        else:
            text = self.display(value) if self.display else value
        url = _resolve_url(self.link, row) if self.link else None
        if url:
            return format_html('<a href="{}">{}</a>', url, text)
        return format_html("{}", text)

    def sort_key(self, row):
        value = self.value(row)
        return (value is None, str(value).lower() if isinstance(value, str) else value)


class BooleanColumn(Column):
    def __init__(self, name, label=None, *, yes="Yes", no="No", **kwargs):
        super().__init__(name, label, **kwargs)
        self.yes, self.no = yes, no

    def render(self, row):
        value = self.value(row)
        if value:
            return format_html('<span class="text-success"><i class="bi bi-check-circle-fill"></i> {}</span>',
                               self.yes)
        return format_html('<span class="text-secondary"><i class="bi bi-x-circle"></i> {}</span>', self.no)


class StatusColumn(Column):
    """A status badge. While the status is not in `final`, the row polls its own partial every
    `poll_seconds` (htmx) and swaps itself, so the badge follows the resource until it settles."""

    STYLES = {"ACTIVE": "success", "AVAILABLE": "success", "IN-USE": "info", "UP": "success",
              "ERROR": "danger", "DOWN": "danger", "SHUTOFF": "secondary", "DELETED": "secondary"}

    def __init__(self, name="status", label="Status", *, final=("ACTIVE", "ERROR", "SHUTOFF", "AVAILABLE",
                                                              "IN-USE", "DELETED", "DOWN", "UP", "SUSPENDED",
                                                              "PAUSED", "DEACTIVATED", "KILLED"),
                 styles=None, **kwargs):
        super().__init__(name, label, **kwargs)
        self.final = {s.upper() for s in final}
        self.styles = {**self.STYLES, **(styles or {})}

    def in_progress(self, row):
        value = self.value(row)
        return value is not None and str(value).upper() not in self.final

    def render(self, row):
        value = self.value(row)
        if value in (None, ""):
            return self.empty
        key = str(value).upper()
        if self.in_progress(row):
            return format_html('<span class="badge text-bg-warning status-badge">'
                               '<span class="spinner-border spinner-border-sm me-1"></span>{}</span>', value)
        return format_html('<span class="badge text-bg-{} status-badge">{}</span>',
                           self.styles.get(key, "secondary"), value)


class Action:
    """Something the user can do. kind: "link" (a page), "modal" (a form loaded into the modal),
    "post" (a POST to the table's page, with CSRF, handled by handle())."""

    kind = "link"

    def __init__(self, name, label, *, url=None, icon="", classes="btn-outline-secondary", allowed=None,
                 confirm=None):
        self.name = name
        self.label = label
        self.url = url
        self.icon = icon
        self.classes = classes
        self._allowed = allowed
        self.confirm = confirm

    def allowed(self, request, row=None):
        return self._allowed(request, row) if self._allowed else True

    def url_for(self, row=None):
        return _resolve_url(self.url, row)


class LinkAction(Action):
    kind = "link"


class ModalAction(Action):
    kind = "modal"


class PostAction(Action):
    """A POST action on one row or, in batch_actions, on the checked rows.

    Subclass and implement handle(request, object_id) calling a service function; raise the
    service's NebulaError to report a failure for that row. `success` and `failure` are message
    templates with {count}, {name} and, for failure, {error}.
    """

    kind = "post"
    success = "{label}: {count} done."
    failure = "{label} failed for {name}: {error}"

    def __init__(self, name, label, *, classes="btn-outline-danger", confirm=None, **kwargs):
        super().__init__(name, label, classes=classes, confirm=confirm, **kwargs)

    def handle(self, request, object_id):
        raise NotImplementedError

    def run(self, request, object_ids, names=None):
        """(successes, [failure messages])."""
        done, failures = 0, []
        for object_id in object_ids:
            try:
                self.handle(request, object_id)
                done += 1
            except NebulaError as exc:
                name = (names or {}).get(object_id, object_id)
                failures.append(self.failure.format(label=self.label, name=name, error=exc.message))
        return done, failures


class DeleteAction(PostAction):
    """Delete rows through a service function: DeleteAction(delete_project, "project")."""

    def __init__(self, delete, noun, *, name="delete", label=None, **kwargs):
        label = label or f"Delete {noun.title()}"
        kwargs.setdefault("icon", "bi-trash")
        kwargs.setdefault("confirm", f"Delete the selected {noun}(s)? This cannot be undone.")
        super().__init__(name, label, **kwargs)
        self.delete = delete
        self.noun = noun
        self.success = f"Deleted {{count}} {noun}(s)."
        self.failure = f"Unable to delete {noun} {{name}}: {{error}}"

    def handle(self, request, object_id):
        self.delete(request.ctx, object_id)


class Table:
    name = "table"
    verbose_name = ""
    columns = []
    filter_fields = []  # fields ?q= searches (icontains on a QuerySet, substring on lists)
    table_actions = []
    row_actions = []
    batch_actions = []
    per_page = 20
    default_sort = None
    empty_message = "No items to display."
    row_id_field = "id"
    name_field = "name"

    # Query-string names are prefixed when two tables share a page (e.g. prefix = "roles-").
    prefix = ""

    def __init__(self, request, data):
        self.request = request
        self.data = data
        params = request.GET
        self.q_param, self.sort_param, self.page_param = (f"{self.prefix}q", f"{self.prefix}sort",
                                                          f"{self.prefix}page")
        self.query = params.get(self.q_param, "").strip()
        self.sort = params.get(self.sort_param) or self.default_sort or ""
        self._paginate(self._sorted(self._filtered(data)), params.get(self.page_param, 1))

    # -- data ------------------------------------------------------------------------------
    def _filtered(self, data):
        if not self.query or not self.filter_fields:
            return data
        if isinstance(data, QuerySet):
            condition = Q()
            for field in self.filter_fields:
                condition |= Q(**{f"{field}__icontains": self.query})
            return data.filter(condition)
        needle = self.query.lower()
        return [row for row in data
                if any(needle in str(_get(row, f) or "").lower() for f in self.filter_fields)]

    def _sorted(self, data):
        column = self.sort_column
        if column is None:
            return data
        descending = self.sort.startswith("-")
        if isinstance(data, QuerySet):
            field = column.order_by
            return data.order_by(f"-{field}" if descending else field, "pk")
        present = [r for r in data if column.value(r) is not None]
        missing = [r for r in data if column.value(r) is None]
        return sorted(present, key=column.sort_key, reverse=descending) + missing

    def _paginate(self, data, page):
        paginator = Paginator(data, self.per_page)
        self.page = paginator.get_page(page)
        self.rows = list(self.page.object_list)

    @property
    def sort_column(self):
        name = self.sort.lstrip("-")
        for column in self.columns:
            if column.name == name and column.sortable:
                return column
        return None

    # -- rows ------------------------------------------------------------------------------
    def row_id(self, row):
        return str(_get(row, self.row_id_field))

    def row_name(self, row):
        return _get(row, self.name_field) or self.row_id(row)

    def row_in_progress(self, row):
        return any(isinstance(c, StatusColumn) and c.in_progress(row) for c in self.columns)

    def poll_seconds(self):
        return 3

    def cells(self, row):
        return [(column, column.render(row)) for column in self.columns]

    def row_actions_for(self, row):
        return [a for a in self.row_actions if a.allowed(self.request, row)]

    def bound_rows(self):
        return [{"id": self.row_id(row), "row": row, "cells": self.cells(row),
                 "actions": [(a, a.url_for(row)) for a in self.row_actions_for(row)],
                 "polling": self.row_in_progress(row)} for row in self.rows]

    def bound_row(self, row):
        return {"id": self.row_id(row), "row": row, "cells": self.cells(row),
                "actions": [(a, a.url_for(row)) for a in self.row_actions_for(row)],
                "polling": self.row_in_progress(row)}

    # -- actions ---------------------------------------------------------------------------
    def visible_table_actions(self):
        return [(a, a.url_for()) for a in self.table_actions if a.allowed(self.request)]

    def visible_batch_actions(self):
        return [a for a in self.batch_actions if a.allowed(self.request)]

    def find_action(self, scope, name):
        pool = {"row": self.row_actions, "batch": self.batch_actions, "table": self.table_actions}.get(scope, [])
        for action in pool:
            if action.name == name and action.kind == "post":
                return action
        return None

    # -- query strings -----------------------------------------------------------------------
    def url_with(self, **changes):
        """This page's URL with some of this table's parameters (q, sort, page) changed."""
        params = self.request.GET.copy()
        for key, value in changes.items():
            key = f"{self.prefix}{key}"
            if value in (None, ""):
                params.pop(key, None)
            else:
                params[key] = value
        params.pop("_row", None)
        encoded = urlencode(sorted(params.items()))
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def headers(self):
        result = []
        for column in self.columns:
            entry = {"column": column, "label": column.label, "url": None, "direction": None}
            if column.sortable:
                current = self.sort.lstrip("-") == column.name
                descending = self.sort.startswith("-")
                entry["direction"] = ("desc" if descending else "asc") if current else None
                entry["url"] = self.url_with(sort=f"-{column.name}" if current and not descending else column.name,
                                             page=None)
            result.append(entry)
        return result

    def page_links(self):
        if self.page.paginator.num_pages <= 1:
            return []
        links = []
        for number in self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2, on_ends=1):
            if number == self.page.paginator.ELLIPSIS:
                links.append((number, None, False))
            else:
                links.append((number, self.url_with(page=number), number == self.page.number))
        return links

    @property
    def page_url_previous(self):
        return self.url_with(page=self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def page_url_next(self):
        return self.url_with(page=self.page.next_page_number()) if self.page.has_next() else None
