"""The Cinder v3 API: bodies the clients read, and every bad request a 4xx in Cinder's shape."""

import pytest

from storage.volumes.models import Volume

pytestmark = pytest.mark.django_db


def _project(name):
    from identity.models import Project

    return Project.objects.get(name=name, domain_id="default").id


def url(project, path=""):
    return f"/volume/v3/{project}{path}"


def test_version_documents(api):
    root = api.get("/volume")
    assert root.status_code == 300
    [doc] = root.json()["versions"]
    assert doc["id"] == "v3.0" and doc["min_version"] == "3.0" and doc["media-types"]
    v3 = api.get("/volume/v3/")
    assert v3.status_code == 200 and v3.json()["versions"][0]["version"] == doc["version"]


def test_microversion_is_negotiated_and_echoed(api, volume_cloud, demo_token):
    project = _project("demo")
    response = api.get(url(project, "/volumes"), token=demo_token, headers={"OpenStack-API-Version": "volume 3.27"})
    assert response.status_code == 200 and response["OpenStack-API-Version"] == "volume 3.27"
    too_high = api.get(url(project, "/volumes"), token=demo_token, headers={"OpenStack-API-Version": "volume 9.0"})
    assert too_high.status_code == 406


def test_create_show_list_bodies(api, volume_cloud, demo_token):
    project = _project("demo")
    with volume_cloud["run"]():
        created = api.post(url(project, "/volumes"), {"volume": {"size": 1, "name": "a", "imageRef": None,
                                                                 "snapshot_id": None}}, token=demo_token)
    assert created.status_code == 202, created.content
    body = created.json()["volume"]
    assert body["status"] == "creating" and body["bootable"] == "false"
    shown = api.get(url(project, f"/volumes/{body['id']}"), token=demo_token).json()["volume"]
    assert shown["status"] == "available" and shown["os-vol-tenant-attr:tenant_id"] == project
    assert "." in shown["created_at"] and not shown["created_at"].endswith("Z")
    assert "os-vol-host-attr:host" not in shown  # admins only
    listed = api.get(url(project, "/volumes"), token=demo_token).json()["volumes"]
    assert listed == [{"id": body["id"], "name": "a", "links": shown["links"]}]
    by_name = api.get(url(project, "/volumes/detail?name=a"), token=demo_token).json()["volumes"]
    assert [v["id"] for v in by_name] == [body["id"]]
    assert api.get(url(project, "/volumes/a"), token=demo_token).status_code == 404


@pytest.mark.parametrize("body", [
    {"volume": {"size": 0}}, {"volume": {"size": "big"}}, {"volume": {"size": -5}}, {"volume": {"size": 1.5}},
    {"volume": {}}, {"volume": "x"}, {"nothing": {}}, [1, 2], {"volume": {"size": 1, "volume_type": "nope"}},
    {"volume": {"size": 1, "snapshot_id": "nope"}}, {"volume": {"size": 1, "metadata": {"a": 1}}},
    {"volume": {"size": 1, "name": 5}}, {"volume": {"size": 1, "availability_zone": "mars"}},
])
def test_bad_creates_are_4xx_and_write_nothing(api, volume_cloud, demo_token, body):
    response = api.post(url(_project("demo"), "/volumes"), body, token=demo_token)
    assert 400 <= response.status_code < 500, response.content
    error = response.json()
    assert set(error) <= {"badRequest", "itemNotFound"} and error[next(iter(error))]["code"] == response.status_code
    assert not Volume.objects.exists()


def test_malformed_json(api, volume_cloud, demo_token):
    response = api.post(url(_project("demo"), "/volumes"), raw="{not json", token=demo_token)
    assert response.status_code == 400 and "badRequest" in response.json()


def test_foreign_volume_is_404(api, volume_cloud, demo_token, admin_token):
    admin_project = _project("admin")
    with volume_cloud["run"]():
        created = api.post(url(admin_project, "/volumes"), {"volume": {"size": 1}}, token=admin_token).json()
    volume_id = created["volume"]["id"]
    demo_project = _project("demo")
    for method, path, body in (("get", f"/volumes/{volume_id}", None), ("delete", f"/volumes/{volume_id}", None),
                               ("post", f"/volumes/{volume_id}/action", {"os-extend": {"new_size": 2}}),
                               ("put", f"/volumes/{volume_id}", {"volume": {"name": "x"}}),
                               ("post", "/snapshots", {"snapshot": {"volume_id": volume_id}}),
                               ("post", "/backups", {"backup": {"volume_id": volume_id}})):
        kwargs = {"token": demo_token} if body is None else {"token": demo_token, "body": body}
        response = getattr(api, method)(url(demo_project, path), **kwargs)
        assert response.status_code == 404, (method, path, response.content)
        assert "itemNotFound" in response.json()
    assert api.get(url(demo_project, "/volumes/detail"), token=demo_token).json()["volumes"] == []


def test_quota_exceeded_is_413_overlimit(api, volume_cloud, demo_token, admin_token):
    project = _project("demo")
    response = api.put(url(_project("admin"), f"/os-quota-sets/{project}"), {"quota_set": {"gigabytes": 2}},
                       token=admin_token)
    assert response.status_code == 200 and response.json()["quota_set"]["gigabytes"] == 2
    refused = api.post(url(project, "/volumes"), {"volume": {"size": 3}}, token=demo_token)
    assert refused.status_code == 413 and refused.json()["overLimit"]["code"] == 413
    usage = api.get(url(project, f"/os-quota-sets/{project}?usage=True"), token=demo_token).json()["quota_set"]
    assert usage["gigabytes"] == {"limit": 2, "in_use": 0, "reserved": 0, "allocated": 0}
    limits = api.get(url(project, "/limits"), token=demo_token).json()["limits"]["absolute"]
    assert limits["maxTotalVolumeGigabytes"] == 2
    forbidden = api.put(url(project, f"/os-quota-sets/{project}"), {"quota_set": {"volumes": 99}}, token=demo_token)
    assert forbidden.status_code == 403


def test_extend_and_actions(api, volume_cloud, demo_token, admin_token):
    project = _project("demo")
    with volume_cloud["run"]():
        volume_id = api.post(url(project, "/volumes"), {"volume": {"size": 1}}, token=demo_token).json()["volume"]["id"]
    action = url(project, f"/volumes/{volume_id}/action")
    assert api.post(action, {"os-extend": {"new_size": 1}}, token=demo_token).status_code == 400
    assert api.post(action, {"os-extend": {"new_size": "x"}}, token=demo_token).status_code == 400
    assert api.post(action, {"os-frobnicate": {}}, token=demo_token).status_code == 400
    with volume_cloud["run"]():
        assert api.post(action, {"os-extend": {"new_size": 2}}, token=demo_token).status_code == 202
    assert Volume.objects.get(pk=volume_id).size == 2
    assert api.post(action, {"os-set_bootable": {"bootable": "maybe"}}, token=demo_token).status_code == 400
    assert api.post(action, {"os-set_bootable": {"bootable": True}}, token=demo_token).status_code == 200
    assert api.get(url(project, f"/volumes/{volume_id}"), token=demo_token).json()["volume"]["bootable"] == "true"
    assert api.post(action, {"os-reset_status": {"status": "error"}}, token=demo_token).status_code == 403
    assert api.post(url(_project("admin"), f"/volumes/{volume_id}/action"),
                    {"os-reset_status": {"status": "error"}}, token=admin_token).status_code == 202
    assert Volume.objects.get(pk=volume_id).status == "error"


def test_types_admin_only_and_access(api, volume_cloud, demo_token, admin_token):
    admin_project, demo_project = _project("admin"), _project("demo")
    denied = api.post(url(demo_project, "/types"), {"volume_type": {"name": "x"}}, token=demo_token)
    assert denied.status_code == 403 and "forbidden" in denied.json()
    created = api.post(url(admin_project, "/types"), {"volume_type": {
        "name": "private", "os-volume-type-access:is_public": False, "extra_specs": {"volume_backend_name": "file"}}},
        token=admin_token)
    assert created.status_code == 200
    type_id = created.json()["volume_type"]["id"]
    assert api.post(url(admin_project, "/types"), {"volume_type": {"name": "private"}},
                    token=admin_token).status_code == 409
    names = [t["name"] for t in api.get(url(demo_project, "/types"), token=demo_token).json()["volume_types"]]
    assert "private" not in names and "__DEFAULT__" in names
    assert api.post(url(admin_project, f"/types/{type_id}/action"), {"addProjectAccess": {"project": demo_project}},
                    token=admin_token).status_code == 202
    names = [t["name"] for t in api.get(url(demo_project, "/types"), token=demo_token).json()["volume_types"]]
    assert "private" in names
    specs = api.get(url(admin_project, f"/types/{type_id}/extra_specs"), token=admin_token).json()
    assert specs == {"extra_specs": {"volume_backend_name": "file"}}


def test_admin_services_and_pools(api, volume_cloud, demo_token, admin_token):
    admin_project = _project("admin")
    services = api.get(url(admin_project, "/os-services"), token=admin_token).json()["services"]
    assert {(s["binary"], s["host"], s["state"]) for s in services} >= {
        ("cinder-volume", "testhost@file", "up"), ("cinder-volume", "testhost@fake", "up")}
    pools = api.get(url(admin_project, "/scheduler-stats/get_pools?detail=True"), token=admin_token).json()["pools"]
    fake = next(p for p in pools if p["name"] == "testhost@fake#fake")
    assert fake["capabilities"]["total_capacity_gb"] == 100
    assert api.get(url(_project("demo"), "/os-services"), token=demo_token).status_code == 403


def test_volume_list_query_count_is_fixed(api, volume_cloud, demo_token, django_assert_max_num_queries):
    project = _project("demo")
    with volume_cloud["run"]():
        for index in range(3):
            api.post(url(project, "/volumes"), {"volume": {"size": 1, "name": f"v{index}"}}, token=demo_token)
    with django_assert_max_num_queries(4):
        assert len(api.get(url(project, "/volumes/detail"), token=demo_token).json()["volumes"]) == 3
    with volume_cloud["run"]():
        for index in range(5):
            api.post(url(project, "/volumes"), {"volume": {"size": 1, "name": f"w{index}"}}, token=demo_token)
    with django_assert_max_num_queries(4):
        assert len(api.get(url(project, "/volumes/detail"), token=demo_token).json()["volumes"]) == 8
    page = api.get(url(project, "/volumes/detail?limit=5"), token=demo_token).json()
    assert len(page["volumes"]) == 5 and page["volumes_links"][0]["rel"] == "next"
    rest = api.get(url(project, f"/volumes/detail?limit=5&marker={page['volumes'][-1]['id']}"),
                   token=demo_token).json()
    assert len(rest["volumes"]) == 3
    assert api.get(url(project, "/volumes/detail?marker=nope"), token=demo_token).status_code == 400


@pytest.mark.parametrize("method,path,body", [
    ("post", "/types", {"volume_type": {"name": ""}}),
    ("post", "/types", {"volume_type": {"name": "t", "extra_specs": "x"}}),
    ("post", "/types", {"volume_type": {"name": "t", "extra_specs": {"k": [1]}}}),
    ("post", "/types", {"volume_type": {"name": "t", "os-volume-type-access:is_public": "maybe"}}),
    ("post", "/types/nope/extra_specs", {"extra_specs": {"a": "b"}}),
    ("post", "/snapshots", {"snapshot": {}}),
    ("post", "/snapshots", {"snapshot": {"volume_id": "nope"}}),
    ("post", "/snapshots", {"snapshot": {"volume_id": ["x"]}}),
    ("post", "/backups", {"backup": {"volume_id": "nope"}}),
    ("post", "/backups", {"backup": "x"}),
    ("post", "/backups/nope/restore", {"restore": {}}),
    ("post", "/attachments", {"attachment": {"volume_uuid": "nope"}}),
    ("get", "/attachments/nope", None),
    ("put", "/os-quota-sets/PROJECT", {"quota_set": {"volumes": "many"}}),
    ("put", "/os-quota-sets/PROJECT", {"quota_set": {"gigabytes": -5}}),
    ("get", "/snapshots/nope", None),
    ("get", "/backups/nope", None),
    ("get", "/types/nope", None),
    ("get", "/messages/nope", None),
    ("put", "/os-services/disable", {"host": "nowhere", "binary": "cinder-volume"}),
    ("post", "/volumes/nope/action", {"os-extend": {"new_size": 2}}),
])
def test_bad_requests_elsewhere_are_4xx(api, volume_cloud, admin_token, method, path, body):
    project = _project("admin")
    path = path.replace("PROJECT", project)
    headers = {"OpenStack-API-Version": "volume 3.27"}
    kwargs = {"token": admin_token, "headers": headers}
    if body is not None:
        kwargs["body"] = body
    response = getattr(api, method)(url(project, path), **kwargs)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.content)
    assert next(iter(response.json().values()))["code"] == response.status_code
