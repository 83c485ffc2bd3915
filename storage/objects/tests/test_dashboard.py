"""The Object Store panel (dashboard/panels/containers) through the Django test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dashboard.testing import login
from storage.objects import services

INDEX = "/dashboard/project/containers/"


@pytest.fixture
def demo_client(client, bootstrapped, object_store):
    login(client, "demo", "demopw")
    return client


def _ctx():
    from identity.models import Project
    from core.context import RequestContext

    return RequestContext.internal(), Project.objects.get(name="demo").id


def test_create_list_public_delete(demo_client, django_assert_max_num_queries):
    response = demo_client.post(INDEX + "create/", {"name": "photos", "public": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    demo_client.post(INDEX + "create/", {"name": "private"}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(20):
        page = demo_client.get(INDEX)
    assert page.status_code == 200
    html = page.content.decode()
    assert "photos" in html and "private" in html
    ctx, project = _ctx()
    assert services.container_info(None, project, "photos").container.read_acl == ".r:*,.rlistings"
    demo_client.post(INDEX, {"action": "row:make_private:photos"})
    assert services.container_info(ctx, project, "photos").container.read_acl == ""
    demo_client.post(INDEX, {"action": "row:make_public:private"})
    assert services.container_info(None, project, "private").object_count == 0
    demo_client.post(INDEX, {"action": "batch:delete", "object_ids": ["photos", "private"]})
    assert [c.name for c in services.list_containers(ctx, project, services.ListingParams())] == []


def test_browse_upload_download_detail_delete(demo_client, django_assert_max_num_queries):
    ctx, project = _ctx()
    services.create_container(ctx, project, "docs", {"x-container-read": ".r:*"})
    services.put_object(ctx, project, "docs", "a/b/deep.txt", b"deep")
    browse = INDEX + "c/docs/"
    upload = SimpleUploadedFile("hello.txt", b"hello world", content_type="text/plain")
    response = demo_client.post(browse + "upload/", {"file": upload, "path": "a/"})
    assert response.status_code == 302
    with django_assert_max_num_queries(20):
        page = demo_client.get(browse)
    html = page.content.decode()
    assert page.status_code == 200 and "a/" in html and "deep.txt" not in html
    inner = demo_client.get(browse, {"path": "a/"}).content.decode()
    assert "hello.txt" in inner and "b/" in inner
    detail = demo_client.get(INDEX + "c/docs/o/a/hello.txt")
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "11 bytes" in text and "/object/v1/AUTH_" in text  # public URL of a public container
    download = demo_client.get(INDEX + "c/docs/download/a/hello.txt")
    assert b"".join(download.streaming_content) == b"hello world"
    assert "attachment" in download["Content-Disposition"]
    demo_client.post(INDEX + "c/docs/o/a/hello.txt")
    with pytest.raises(Exception):
        services.head_object(ctx, project, "docs", "a/hello.txt")
    demo_client.post(browse + "?path=a/b/", {"action": "row:delete:a/b/deep.txt"})
    assert services.container_info(ctx, project, "docs").object_count == 0


def test_missing_container_and_object_are_404(demo_client):
    assert demo_client.get(INDEX + "c/nope/").status_code == 404
    _ctx_, project = _ctx()
    services.create_container(_ctx_, project, "c")
    assert demo_client.get(INDEX + "c/c/o/missing").status_code == 404
