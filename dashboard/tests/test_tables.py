"""The reusable table: sorting, filtering, paging, actions, status cells that poll until final."""

import pytest
from django.test import RequestFactory
from django.template.loader import render_to_string

from core.exceptions import Conflict
from dashboard import tables
from dashboard.views.base import TableView

ROWS = [{"id": f"id{i}", "name": f"server-{i:02d}", "status": "ACTIVE" if i % 3 else "BUILD", "size": i}
        for i in range(45)]


class Stop(tables.PostAction):
    def __init__(self):
        super().__init__("stop", "Stop")
        self.stopped = []
        self.success = "Stopped {count}."

    def handle(self, request, object_id):
        if object_id == "id1":
            raise Conflict("it is locked")
        self.stopped.append(object_id)


STOP = Stop()


class ServersTable(tables.Table):
    name = "servers"
    columns = [tables.Column("name"), tables.Column("size"), tables.StatusColumn("status", final=("ACTIVE", "ERROR"))]
    filter_fields = ["name"]
    row_actions = [tables.LinkAction("open", "Open", url=lambda row: f"/x/{row['id']}/"), STOP]
    batch_actions = [STOP]
    table_actions = [tables.ModalAction("create", "Create", url="/x/create/")]


def _table(query="", rows=ROWS):
    request = RequestFactory().get("/dashboard/project/servers/" + query)
    return ServersTable(request, rows)


def test_paging_defaults_and_page_links():
    table = _table()
    assert len(table.rows) == 20 and table.page.paginator.num_pages == 3
    assert [n for n, _url, _cur in table.page_links()] == [1, 2, 3]
    assert _table("?page=3").rows[-1]["id"] == "id44"
    assert _table("?page=99").page.number == 3  # out of range: the last page


def test_sorting_both_ways_and_headers():
    assert [r["size"] for r in _table("?sort=-size").rows[:3]] == [44, 43, 42]
    assert _table("?sort=size").rows[0]["size"] == 0
    headers = {h["label"]: h for h in _table("?sort=size").headers()}
    assert headers["Size"]["direction"] == "asc" and "sort=-size" in headers["Size"]["url"]
    assert _table("?sort=bogus").rows[0]["id"] == "id0"


def test_filtering():
    table = _table("?q=SERVER-1")
    assert {r["name"] for r in table.rows} == {f"server-{i}" for i in range(10, 20)}


def test_queryset_sort_filter_page(bootstrapped):
    from identity.models import Project

    class ProjectsTable(tables.Table):
        columns = [tables.Column("name")]
        filter_fields = ["name"]
        per_page = 2

    request = RequestFactory().get("/x/?sort=-name&q=m")
    table = ProjectsTable(request, Project.objects.all())
    assert [p.name for p in table.rows] == sorted([p.name for p in Project.objects.filter(name__icontains="m")],
                                                  reverse=True)[:2]


def test_status_rows_poll_until_final():
    table = _table()
    html = render_to_string("dashboard/table/table.html", {"table": table, "request": table.request})
    building = 'id="row-servers-id0"'
    active = 'id="row-servers-id1"'
    row_building = html[html.index(building):].split("</tr>")[0]
    row_active = html[html.index(active):].split("</tr>")[0]
    assert 'hx-get="/dashboard/project/servers/?_row=id0"' in row_building and "every 3s" in row_building
    assert "hx-trigger" not in row_active
    assert "spinner-border" in row_building and "text-bg-success" in row_active


def test_empty_state_and_filtered_empty_state():
    html = render_to_string("dashboard/table/table.html", {"table": _table(rows=[]), "request": _table().request})
    assert "No items to display." in html
    filtered = _table("?q=nothing")
    html = render_to_string("dashboard/table/table.html", {"table": filtered, "request": filtered.request})
    assert 'No items match "nothing".' in html


class ServersPage(TableView):
    table_class = ServersTable
    rows = [dict(r) for r in ROWS]

    def get_data(self):
        return self.rows


@pytest.fixture
def page_request(rf, bootstrapped):
    from django.contrib.messages.storage.fallback import FallbackStorage

    def make(method, path, data=None, **extra):
        request = getattr(rf, method)(path, data or {}, **extra)
        request.session = {}
        request._messages = FallbackStorage(request)
        request.htmx = False
        request.panel = None
        from core.context import RequestContext

        request.ctx = RequestContext(user_id="u", user_name="u", project_id="p", project_name="p", roles=("reader",))
        return request

    return make


def test_row_partial_follows_the_status(page_request):
    view = ServersPage.as_view()
    response = view(page_request("get", "/dashboard/project/servers/", {"_row": "id0"}))
    assert response.status_code == 200 and b"hx-trigger" in response.content and b"BUILD" in response.content
    ServersPage.rows[0]["status"] = "ACTIVE"
    try:
        settled = view(page_request("get", "/dashboard/project/servers/", {"_row": "id0"}))
        assert b"hx-trigger" not in settled.content and b"ACTIVE" in settled.content
    finally:
        ServersPage.rows[0]["status"] = "BUILD"
    gone = view(page_request("get", "/dashboard/project/servers/", {"_row": "nope"}))
    assert gone.status_code == 286  # htmx stops polling


def test_batch_action_reports_successes_and_failures(page_request):
    STOP.stopped.clear()
    request = page_request("post", "/dashboard/project/servers/?page=2",
                           {"action": "batch:stop", "object_ids": ["id1", "id2", "id4"]})
    response = ServersPage.as_view()(request)
    assert response.status_code == 302 and response["Location"] == "/dashboard/project/servers/?page=2"
    assert STOP.stopped == ["id2", "id4"]
    texts = [str(m) for m in request._messages]
    assert "Stopped 2." in texts and "Stop failed for id1: it is locked" in texts


def test_row_action(page_request):
    STOP.stopped.clear()
    ServersPage.as_view()(page_request("post", "/dashboard/project/servers/", {"action": "row:stop:id5"}))
    assert STOP.stopped == ["id5"]


def test_batch_checkboxes_and_csrf_in_markup(page_request):
    request = page_request("get", "/dashboard/project/servers/")
    table = ServersTable(request, ROWS)
    html = render_to_string("dashboard/table/table.html", {"table": table, "request": request, "csrf_token": "tok"})
    assert 'name="object_ids" value="id0"' in html
    assert 'value="batch:stop"' in html and 'value="row:stop:id0"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'hx-get="/x/create/"' in html and 'href="/x/id0/"' in html


def test_prefixed_tables_keep_their_own_parameters():
    class Second(ServersTable):
        name = "second"
        prefix = "b-"

    request = RequestFactory().get("/p/?q=server-1&b-q=server-2&b-sort=-size&page=1")
    first, second = ServersTable(request, ROWS), Second(request, ROWS)
    assert {r["name"][:8] for r in first.rows} == {"server-1"}
    assert {r["name"][:8] for r in second.rows} == {"server-2"}
    assert second.rows[0]["size"] == 29
    assert "b-page=2" in second.url_with(page=2) and "q=server-1" in second.url_with(page=2)
    html = render_to_string("dashboard/table/table.html", {"table": second, "request": request})
    assert 'name="b-q"' in html and 'name="b-sort" value="-size"' in html
