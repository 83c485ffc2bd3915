"""Glance v2 API through Django's test client: every happy path the clients use and every 4xx."""

import hashlib
import json

import pytest

from core import quotas
from identity.models import Project
from storage.images.models import Image

pytestmark = pytest.mark.django_db

PATCH = "application/openstack-images-v2.1-json-patch"


def create(api, token, **body):
    body.setdefault("disk_format", "raw")
    body.setdefault("container_format", "bare")
    response = api.post("/image/v2/images", body, token=token)
    assert response.status_code == 201, response.content
    return response.json()


def upload(api, token, image_id, data, content_type="application/octet-stream"):
    return api.put(f"/image/v2/images/{image_id}/file", raw=data, token=token, content_type=content_type)


def patch(api, token, image_id, ops, content_type=PATCH):
    return api.patch(f"/image/v2/images/{image_id}", raw=json.dumps(ops), token=token, content_type=content_type)


def project_id(name):
    return Project.objects.get(name=name).id


def test_versions_and_schemas(api, bootstrapped, admin_token):
    root = api.get("/image")
    assert root.status_code == 300
    versions = root.json()["versions"]
    assert versions[0]["id"] == "v2.16" and versions[0]["status"] == "CURRENT"
    assert versions[0]["links"][0]["href"].endswith("/image/v2/")
    assert api.get("/image/versions").status_code == 200
    for name in ("image", "images", "member", "members"):
        response = api.get(f"/image/v2/schemas/{name}", token=admin_token)
        assert response.status_code == 200
        assert response.json()["name"] == name
    image_schema = api.get("/image/v2/schemas/image", token=admin_token).json()
    assert image_schema["additionalProperties"] == {"type": "string"}
    assert "qcow2" in image_schema["properties"]["disk_format"]["enum"]
    assert api.get("/image/v2/schemas/nothing", token=admin_token).status_code == 404


def test_unauthenticated_is_401_plain(api, bootstrapped):
    response = api.get("/image/v2/images")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/plain")


def test_create_upload_download_roundtrip(api, demo_token):
    image = create(api, demo_token, name="blob", **{"owner_specified.openstack.sha256": "abc", "os_distro": "x"})
    assert image["status"] == "queued" and image["visibility"] == "shared"
    assert image["owner_specified.openstack.sha256"] == "abc" and image["size"] is None
    assert image["owner"] == project_id("demo")
    assert image["created_at"].endswith("Z") and len(image["created_at"]) == 20
    data = bytes(range(256)) * 4096 + b"tail"
    assert upload(api, demo_token, image["id"], data).status_code == 204
    shown = api.get(f"/image/v2/images/{image['id']}", token=demo_token).json()
    assert shown["status"] == "active" and shown["size"] == len(data) and shown["virtual_size"] == len(data)
    assert shown["checksum"] == hashlib.md5(data).hexdigest()
    assert shown["os_hash_algo"] == "sha512" and shown["os_hash_value"] == hashlib.sha512(data).hexdigest()

    response = api.get(f"/image/v2/images/{image['id']}/file", token=demo_token)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-MD5"] == shown["checksum"]
    assert response["Content-Length"] == str(len(data))

    ranged = api.get(f"/image/v2/images/{image['id']}/file", token=demo_token, headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206
    assert b"".join(ranged.streaming_content) == data[10:20]
    assert ranged["Content-Range"] == f"bytes 10-19/{len(data)}"
    suffix = api.get(f"/image/v2/images/{image['id']}/file", token=demo_token, headers={"Range": "bytes=-4"})
    assert b"".join(suffix.streaming_content) == b"tail"
    bad = api.get(f"/image/v2/images/{image['id']}/file", token=demo_token,
                  headers={"Range": f"bytes={len(data)}-"})
    assert bad.status_code == 416 and bad["Content-Range"] == f"bytes */{len(data)}"


def test_download_of_queued_image_is_204(api, demo_token):
    image = create(api, demo_token, name="empty")
    assert api.get(f"/image/v2/images/{image['id']}/file", token=demo_token).status_code == 204


def test_second_upload_is_409_and_wrong_content_type_415(api, demo_token):
    image = create(api, demo_token, name="once")
    assert upload(api, demo_token, image["id"], b"x" * 10, content_type="application/json").status_code == 415
    assert upload(api, demo_token, image["id"], b"x" * 10).status_code == 204
    again = upload(api, demo_token, image["id"], b"y" * 10)
    assert again.status_code == 409 and again["Content-Type"].startswith("text/plain")


def test_upload_without_formats_is_400(api, demo_token):
    response = api.post("/image/v2/images", {"name": "noformat"}, token=demo_token)
    image = response.json()
    assert upload(api, demo_token, image["id"], b"data").status_code == 400
    assert Image.objects.get(pk=image["id"]).status == "queued"


@pytest.mark.parametrize("body, status", [
    ({"disk_format": "floppy"}, 400),
    ({"container_format": "zip"}, 400),
    ({"disk_format": "aki", "container_format": "bare"}, 400),
    ({"visibility": "everyone"}, 400),
    ({"min_disk": -1}, 400),
    ({"min_ram": "1"}, 400),
    ({"protected": "yes"}, 400),
    ({"tags": "a"}, 400),
    ({"name": 5}, 400),
    ({"id": "not-a-uuid"}, 400),
    ({"kernel_id": "nope"}, 400),
    ({"custom": 5}, 400),
    ({"status": "active"}, 403),
    ({"size": 5}, 403),
    ({"checksum": "x"}, 403),
    ({"deleted": True}, 403),
    ({"visibility": "public"}, 403),
    ({"owner": "someone-else"}, 403),
])
def test_create_rejects_bad_fields(api, demo_token, body, status):
    before = Image.objects.count()
    response = api.post("/image/v2/images", body, token=demo_token)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("text/plain")
    assert Image.objects.count() == before


@pytest.mark.parametrize("raw", ["{not json", "[]", '"text"'])
def test_create_rejects_malformed_body(api, demo_token, raw):
    assert api.post("/image/v2/images", raw=raw, token=demo_token).status_code == 400


def test_create_with_id_twice_is_409(api, demo_token):
    image_id = "11111111-2222-3333-4444-555555555555"
    create(api, demo_token, id=image_id)
    assert api.post("/image/v2/images", {"id": image_id}, token=demo_token).status_code == 409


def test_admin_may_create_public_image(api, admin_token, demo_token):
    image = create(api, admin_token, name="pub", visibility="public")
    assert image["visibility"] == "public"
    assert api.get(f"/image/v2/images/{image['id']}", token=demo_token).status_code == 200


def test_patch_properties_tags_and_errors(api, demo_token):
    image = create(api, demo_token, name="p", os_distro="debian")
    ops = [{"op": "replace", "path": "/name", "value": "renamed"},
           {"op": "add", "path": "/hw_disk_bus", "value": "virtio"},
           {"op": "remove", "path": "/os_distro"},
           {"op": "replace", "path": "/tags", "value": ["a", "b", "a"]},
           {"op": "replace", "path": "/min_ram", "value": 64}]
    response = patch(api, demo_token, image["id"], ops)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "renamed" and body["hw_disk_bus"] == "virtio" and "os_distro" not in body
    assert body["tags"] == ["a", "b"] and body["min_ram"] == 64

    cases = [
        ([{"op": "replace", "path": "/status", "value": "active"}], 403),
        ([{"op": "remove", "path": "/name"}], 403),
        ([{"op": "replace", "path": "/visibility", "value": "public"}], 403),
        ([{"op": "replace", "path": "/owner", "value": "x"}], 403),
        ([{"op": "remove", "path": "/missing"}], 409),
        ([{"op": "replace", "path": "/missing", "value": "v"}], 409),
        ([{"op": "move", "path": "/name", "from": "/x"}], 400),
        ([{"op": "replace", "path": "name", "value": "v"}], 400),
        ([{"op": "replace", "path": "/a/b", "value": "v"}], 400),
        ([{"op": "replace", "path": "/name"}], 400),
        ([{"op": "replace", "path": "/min_disk", "value": "big"}], 400),
        ([{"op": "replace", "path": "/disk_format", "value": "vmdkx"}], 400),
        ({"op": "replace"}, 400),
        (["x"], 400),
    ]
    for ops, status in cases:
        response = patch(api, demo_token, image["id"], ops)
        assert response.status_code == status, (ops, response.content)
    assert patch(api, demo_token, image["id"], [], content_type="application/json").status_code == 415
    assert api.patch(f"/image/v2/images/{image['id']}", raw="{bad", token=demo_token,
                     content_type=PATCH).status_code == 400
    # Nothing of the refused patches was applied.
    assert api.get(f"/image/v2/images/{image['id']}", token=demo_token).json()["name"] == "renamed"


def test_formats_fixed_once_data_is_uploaded(api, demo_token):
    image = create(api, demo_token)
    upload(api, demo_token, image["id"], b"raw data")
    response = patch(api, demo_token, image["id"], [{"op": "replace", "path": "/disk_format", "value": "qcow2"}])
    assert response.status_code == 403


def test_tags_endpoints(api, demo_token):
    image = create(api, demo_token)
    assert api.put(f"/image/v2/images/{image['id']}/tags/blue", token=demo_token).status_code == 204
    assert api.put(f"/image/v2/images/{image['id']}/tags/blue", token=demo_token).status_code == 204
    assert api.get(f"/image/v2/images/{image['id']}", token=demo_token).json()["tags"] == ["blue"]
    assert api.delete(f"/image/v2/images/{image['id']}/tags/blue", token=demo_token).status_code == 204
    assert api.delete(f"/image/v2/images/{image['id']}/tags/blue", token=demo_token).status_code == 404


def test_foreign_and_unknown_ids_are_404(api, demo_token, other_token):
    image = create(api, demo_token, visibility="private")
    for token in (other_token,):
        assert api.get(f"/image/v2/images/{image['id']}", token=token).status_code == 404
        assert patch(api, token, image["id"], [{"op": "replace", "path": "/name", "value": "x"}]).status_code == 404
        assert api.delete(f"/image/v2/images/{image['id']}", token=token).status_code == 404
        assert upload(api, token, image["id"], b"x").status_code == 404
        assert api.get(f"/image/v2/images/{image['id']}/file", token=token).status_code == 404
    assert api.get("/image/v2/images/cirros", token=demo_token).status_code == 404
    assert api.get("/image/v2/images/00000000-0000-0000-0000-000000000000", token=demo_token).status_code == 404


def test_public_image_of_others_cannot_be_changed(api, admin_token, demo_token):
    image = create(api, admin_token, visibility="public")
    assert patch(api, demo_token, image["id"], [{"op": "replace", "path": "/name", "value": "x"}]).status_code == 403
    assert api.delete(f"/image/v2/images/{image['id']}", token=demo_token).status_code == 403
    assert upload(api, demo_token, image["id"], b"x").status_code == 403


def stored_files(store):
    return sorted(store.iterdir()) if store.exists() else []


def test_protected_image_refuses_deletion(api, demo_token, image_store, django_capture_on_commit_callbacks):
    image = create(api, demo_token, protected=True)
    upload(api, demo_token, image["id"], b"keep me")
    response = api.delete(f"/image/v2/images/{image['id']}", token=demo_token)
    assert response.status_code == 403
    assert Image.objects.filter(pk=image["id"]).exists()
    patch(api, demo_token, image["id"], [{"op": "replace", "path": "/protected", "value": False}])
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"/image/v2/images/{image['id']}", token=demo_token).status_code == 204
    assert not Image.objects.filter(pk=image["id"]).exists()
    assert stored_files(image_store) == []


def test_deactivate_and_reactivate(api, admin_token, demo_token):
    image = create(api, admin_token, visibility="public")
    assert api.post(f"/image/v2/images/{image['id']}/actions/deactivate", token=admin_token).status_code == 400
    upload(api, admin_token, image["id"], b"data")
    assert api.post(f"/image/v2/images/{image['id']}/actions/deactivate", token=demo_token).status_code == 403
    assert api.post(f"/image/v2/images/{image['id']}/actions/deactivate", token=admin_token).status_code == 204
    assert api.get(f"/image/v2/images/{image['id']}/file", token=demo_token).status_code == 403
    assert api.post(f"/image/v2/images/{image['id']}/actions/reactivate", token=admin_token).status_code == 204
    assert api.get(f"/image/v2/images/{image['id']}/file", token=demo_token).status_code == 200
    assert api.post(f"/image/v2/images/{image['id']}/actions/explode", token=admin_token).status_code == 404


def test_storage_quota_refuses_upload(api, demo_token, image_store):
    quotas.set_limits(project_id("demo"), {"image_storage": 100})
    image = create(api, demo_token)
    response = upload(api, demo_token, image["id"], b"x" * 101)
    assert response.status_code == 413
    assert Image.objects.get(pk=image["id"]).status == "queued"
    assert stored_files(image_store) == []
    assert upload(api, demo_token, image["id"], b"x" * 60).status_code == 204
    second = create(api, demo_token)
    assert upload(api, demo_token, second["id"], b"x" * 41).status_code == 413
    assert upload(api, demo_token, second["id"], b"x" * 40).status_code == 204


def test_image_count_quota(api, demo_token):
    quotas.set_limits(project_id("demo"), {"image_count": 1})
    create(api, demo_token)
    assert api.post("/image/v2/images", {"name": "two"}, token=demo_token).status_code == 403


def test_members_share_with_one_project(api, admin_token, demo_token, other_token):
    image = create(api, admin_token, name="shared-one")
    upload(api, admin_token, image["id"], b"shared data")
    demo = project_id("demo")
    url = f"/image/v2/images/{image['id']}/members"

    assert api.get(f"/image/v2/images/{image['id']}", token=demo_token).status_code == 404
    response = api.post(url, {"member": demo}, token=admin_token)
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["member_id"] == demo
    assert api.post(url, {"member": demo}, token=admin_token).status_code == 409
    assert api.post(url, {}, token=admin_token).status_code == 400

    # Pending: reachable by id, not listed.
    assert api.get(f"/image/v2/images/{image['id']}", token=demo_token).status_code == 200
    listed = [i["id"] for i in api.get("/image/v2/images", token=demo_token).json()["images"]]
    assert image["id"] not in listed
    pending = api.get("/image/v2/images?member_status=pending", token=demo_token).json()["images"]
    assert image["id"] in [i["id"] for i in pending]

    # The member cannot add others.
    assert api.post(url, {"member": "x"}, token=demo_token).status_code == 403
    assert api.put(f"{url}/{demo}", {"status": "maybe"}, token=demo_token).status_code == 400
    accepted = api.put(f"{url}/{demo}", {"status": "accepted"}, token=demo_token)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = [i["id"] for i in api.get("/image/v2/images", token=demo_token).json()["images"]]
    assert image["id"] in listed
    assert api.get(f"/image/v2/images/{image['id']}/file", token=demo_token).status_code == 200

    # Only there: the third project sees nothing of it.
    assert api.get(f"/image/v2/images/{image['id']}", token=other_token).status_code == 404
    assert api.get(url, token=other_token).status_code == 404
    other_list = [i["id"] for i in api.get("/image/v2/images", token=other_token).json()["images"]]
    assert image["id"] not in other_list

    members = api.get(url, token=admin_token).json()
    assert [m["member_id"] for m in members["members"]] == [demo] and members["schema"] == "/v2/schemas/members"
    assert api.get(f"{url}/{demo}", token=demo_token).status_code == 200
    assert api.get(f"{url}/nobody", token=admin_token).status_code == 404

    assert api.delete(f"{url}/{demo}", token=demo_token).status_code == 403
    assert api.delete(f"{url}/{demo}", token=admin_token).status_code == 204
    assert api.get(f"/image/v2/images/{image['id']}", token=demo_token).status_code == 404
    assert api.delete(f"{url}/{demo}", token=admin_token).status_code == 404


def test_owner_cannot_accept_for_the_member(api, demo_token, other_token):
    image = create(api, demo_token)
    other = project_id("other")
    url = f"/image/v2/images/{image['id']}/members"
    assert api.post(url, {"member": other}, token=demo_token).status_code == 200
    assert api.put(f"{url}/{other}", {"status": "accepted"}, token=demo_token).status_code == 403
    assert api.put(f"{url}/{other}", {"status": "rejected"}, token=other_token).json()["status"] == "rejected"
    # A rejected image stays reachable by id for the member, but is not listed.
    assert api.get(f"/image/v2/images/{image['id']}", token=other_token).status_code == 200
    assert image["id"] not in [i["id"] for i in api.get("/image/v2/images", token=other_token).json()["images"]]


def test_members_only_for_shared_images(api, demo_token):
    image = create(api, demo_token, visibility="private")
    response = api.post(f"/image/v2/images/{image['id']}/members", {"member": "x"}, token=demo_token)
    assert response.status_code == 403


def test_community_images_reachable_not_listed(api, demo_token, other_token):
    image = create(api, demo_token, visibility="community")
    assert api.get(f"/image/v2/images/{image['id']}", token=other_token).status_code == 200
    assert image["id"] not in [i["id"] for i in api.get("/image/v2/images", token=other_token).json()["images"]]
    community = api.get("/image/v2/images?visibility=community", token=other_token).json()["images"]
    assert image["id"] in [i["id"] for i in community]


def test_list_filters_sort_and_paging(api, demo_token, django_assert_max_num_queries):
    ids = []
    for index in range(5):
        image = create(api, demo_token, name=f"img-{index}", tags=["even"] if index % 2 == 0 else ["odd"],
                       os_distro="debian" if index < 2 else "fedora")
        ids.append(image["id"])
    upload(api, demo_token, ids[0], b"x" * 10)
    upload(api, demo_token, ids[1], b"x" * 1000)

    def names(query):
        response = api.get(f"/image/v2/images{query}", token=demo_token)
        assert response.status_code == 200, response.content
        return [i["name"] for i in response.json()["images"]]

    assert names("?name=img-3") == ["img-3"]
    assert sorted(names("?name=in:img-1,img-2")) == ["img-1", "img-2"]
    assert sorted(names(f"?id=in:{ids[0]},{ids[4]}")) == ["img-0", "img-4"]
    assert sorted(names("?tag=even")) == ["img-0", "img-2", "img-4"]
    assert names("?tag=even&tag=odd") == []
    assert sorted(names("?status=active")) == ["img-0", "img-1"]
    assert names("?size_min=100") == ["img-1"]
    assert names("?size_max=100") == ["img-0"]
    assert sorted(names("?os_distro=debian")) == ["img-0", "img-1"]
    assert names("?sort_key=name&sort_dir=asc") == [f"img-{i}" for i in range(5)]
    assert names("?sort=name:desc") == [f"img-{i}" for i in range(4, -1, -1)]
    assert len(names("?created_at=gte:2000-01-01T00:00:00Z")) == 5
    assert names("?updated_at=lt:2000-01-01T00:00:00Z") == []

    first = api.get("/image/v2/images?limit=2&sort_key=name&sort_dir=asc", token=demo_token).json()
    assert [i["name"] for i in first["images"]] == ["img-0", "img-1"]
    assert first["next"].startswith("/v2/images?") and "marker=" in first["next"]
    second = api.get("/image" + first["next"], token=demo_token).json()
    assert [i["name"] for i in second["images"]] == ["img-2", "img-3"]
    last = api.get("/image" + second["next"], token=demo_token).json()
    assert [i["name"] for i in last["images"]] == ["img-4"] and "next" not in last

    for query in ("?limit=x", "?limit=-1", "?sort_key=nope", "?sort_dir=up&sort_key=name", "?visibility=x",
                  "?member_status=x", "?status=x", "?size_min=a", "?created_at=gt:yesterday",
                  "?marker=00000000-0000-0000-0000-000000000000", "?marker=nope", "?protected=maybe",
                  "?a__b=1"):
        response = api.get(f"/image/v2/images{query}", token=demo_token)
        assert response.status_code == 400, (query, response.content)

    with django_assert_max_num_queries(8):
        assert len(names("")) == 5


def test_list_query_count_is_flat(api, demo_token, django_assert_max_num_queries):
    for index in range(20):
        create(api, demo_token, name=f"n{index}", tags=["t1", "t2"])
    with django_assert_max_num_queries(8):
        response = api.get("/image/v2/images?limit=100", token=demo_token)
    assert len(response.json()["images"]) == 20
