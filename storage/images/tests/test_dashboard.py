"""The Images panel through Django's test client (views call the service layer with request.ctx)."""

import hashlib

import pytest
from django.test import Client

from dashboard.testing import login
from identity.models import Project
from storage.images import services
from storage.images.models import Image

pytestmark = pytest.mark.django_db

INDEX = "/dashboard/project/images/"


@pytest.fixture
def demo_client(bootstrapped, client):
    login(client, "demo", "demopw")
    return client


@pytest.fixture
def admin_client(bootstrapped):
    client = Client()
    login(client, "admin", "adminpw")
    return client


def csrf(client):
    client.get(f"{INDEX}create/")
    return client.cookies["csrftoken"].value


def create_with_upload(client, data, **fields):
    token = csrf(client)
    form = {"name": "dash-image", "disk_format": "raw", "container_format": "bare", "visibility": "shared",
            "min_disk": "0", "min_ram": "0", "tags": "a, b", "properties": "os_distro=debian\nhw_disk_bus=virtio"}
    form.update(fields)
    created = client.post(f"{INDEX}create/", form, HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=token)
    assert created.status_code == 201, created.content
    body = created.json()
    uploaded = client.put(body["upload"], data=data, content_type="application/octet-stream",
                          HTTP_X_CSRFTOKEN=token)
    return body, uploaded


def test_create_with_upload_then_detail(demo_client):
    data = b"image bytes " * 1000
    body, uploaded = create_with_upload(demo_client, data)
    assert uploaded.status_code == 200, uploaded.content
    assert uploaded.json()["checksum"] == hashlib.md5(data).hexdigest()
    image = Image.objects.get(pk=body["id"])
    assert image.status == "active" and image.properties == {"os_distro": "debian", "hw_disk_bus": "virtio"}
    assert image.owner == Project.objects.get(name="demo").id
    page = demo_client.get(body["detail"])
    assert page.status_code == 200
    assert b"dash-image" in page.content and b"hw_disk_bus" in page.content
    download = demo_client.get(f"{INDEX}{image.id}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == data


def test_upload_needs_csrf(demo_client):
    body, _ = create_with_upload(demo_client, b"x")
    other = Image.objects.create(name="q", disk_format="raw", container_format="bare",
                                 owner=Project.objects.get(name="demo").id)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = demo_client.cookies
    response = strict.put(f"{INDEX}{other.id}/upload/", data=b"x", content_type="application/octet-stream")
    assert response.status_code == 403
    assert Image.objects.get(pk=other.id).status == "queued"


def test_create_errors_are_reported(demo_client):
    token = csrf(demo_client)
    response = demo_client.post(f"{INDEX}create/", {"name": "x", "disk_format": "floppy", "container_format": "bare",
                                                   "visibility": "shared", "min_disk": "0", "min_ram": "0"},
                                HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400 and "disk_format" in response.json()["errors"]
    # Public is not even offered to a non-admin; forcing it is refused by the service.
    response = demo_client.post(f"{INDEX}create/", {"name": "x", "disk_format": "raw", "container_format": "bare",
                                                   "visibility": "public", "min_disk": "0", "min_ram": "0"},
                                HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    assert not Image.objects.exists()


def test_failed_upload_reports_and_leaves_no_active_image(demo_client):
    from core import quotas

    quotas.set_limits(Project.objects.get(name="demo").id, {"image_storage": 5})
    body, uploaded = create_with_upload(demo_client, b"too large for the quota")
    assert uploaded.status_code == 413 and "quota" in uploaded.json()["error"]
    assert Image.objects.get(pk=body["id"]).status == "queued"


def test_list_filters_and_query_count(demo_client, admin_client, django_assert_max_num_queries):
    for index in range(6):
        create_with_upload(demo_client, b"x", name=f"mine-{index}", visibility="private" if index % 2 else "shared")
    with django_assert_max_num_queries(20):
        page = demo_client.get(INDEX)
    assert page.status_code == 200
    assert all(f"mine-{i}".encode() in page.content for i in range(6))
    private = demo_client.get(f"{INDEX}?visibility=private").content
    assert b"mine-1" in private and b"mine-0" not in private
    assert b"mine-2" in demo_client.get(f"{INDEX}?q=mine-2").content
    assert b"mine-3" not in demo_client.get(f"{INDEX}?q=mine-2").content
    assert demo_client.get(f"{INDEX}?visibility=bogus").status_code in (302, 400)


def test_edit_members_and_delete(demo_client, admin_client):
    body, _ = create_with_upload(demo_client, b"data")
    image_id = body["id"]
    edit = demo_client.post(f"{INDEX}{image_id}/edit/", {
        "name": "renamed", "visibility": "shared", "min_disk": "1", "min_ram": "128", "protected": "",
        "tags": "x", "properties": "os_distro=fedora"}, HTTP_HX_REQUEST="true")
    assert edit.status_code == 204
    image = Image.objects.get(pk=image_id)
    assert image.name == "renamed" and image.properties == {"os_distro": "fedora"} and image.min_ram == 128
    assert services.image_tags(image) == ["x"]

    admin_project = Project.objects.get(name="admin").id
    added = demo_client.post(f"{INDEX}{image_id}/members/add/", {"member": admin_project}, HTTP_HX_REQUEST="true")
    assert added.status_code == 204
    detail = admin_client.get(f"{INDEX}{image_id}/")
    assert admin_project.encode() in detail.content and b"pending" in detail.content
    admin_client.post(f"{INDEX}{image_id}/", {"action": f"row:accepted:{admin_project}"})
    assert image.members.get().status == "accepted"
    demo_client.post(f"{INDEX}{image_id}/", {"action": f"row:remove:{admin_project}"})
    assert not image.members.exists()

    # Forbidden visibility change shows on the form, nothing is written.
    response = demo_client.post(f"{INDEX}{image_id}/edit/", {
        "name": "renamed", "visibility": "public", "min_disk": "1", "min_ram": "128", "tags": "",
        "properties": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert Image.objects.get(pk=image_id).visibility == "shared"

    demo_client.post(INDEX, {"action": f"row:delete:{image_id}"})
    assert not Image.objects.filter(pk=image_id).exists()


def test_foreign_image_is_404(demo_client, admin_client):
    token = csrf(admin_client)
    created = admin_client.post(f"{INDEX}create/", {"name": "admins", "disk_format": "raw", "container_format": "bare",
                                                   "visibility": "private", "min_disk": "0", "min_ram": "0"},
                                HTTP_X_REQUESTED_WITH="fetch", HTTP_X_CSRFTOKEN=token)
    image_id = created.json()["id"]
    assert demo_client.get(f"{INDEX}{image_id}/").status_code == 404
    token = csrf(demo_client)
    response = demo_client.put(f"{INDEX}{image_id}/upload/", data=b"x", content_type="application/octet-stream",
                               HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 404

