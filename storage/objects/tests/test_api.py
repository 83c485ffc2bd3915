"""The Swift v1 API through Django's test client: every path, its errors and its headers."""

import hashlib
import hmac
import json
import time
from xml.etree import ElementTree

import pytest

NOT_FOUND = b"<html><h1>Not Found</h1><p>The resource could not be found.</p></html>"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def filled(swift):
    assert swift.call("PUT", "photos").status_code == 201
    names = ["a.txt", "b/1.jpg", "b/2.jpg", "b/c/3.jpg", "d.txt", "e/4.png"]
    for name in names:
        assert swift.call("PUT", "photos", name, body=name.encode() * 3).status_code == 201
    return names


def listing(swift, *parts, query="", token="default"):
    response = swift.call("GET", *parts, query="format=json" + (f"&{query}" if query else ""), token=token)
    assert response.status_code == 200, response.content
    return [e.get("name", e.get("subdir")) for e in json.loads(response.content)]


# -- headers and errors everywhere ------------------------------------------------------------------------
def test_trans_id_and_request_id_on_every_response(swift):
    for response in (swift.call("HEAD"), swift.call("GET", "missing"), swift.call("GET", token="bogus")):
        assert response["X-Trans-Id"].startswith("tx")
        assert response["X-Openstack-Request-Id"] == response["X-Trans-Id"]


def test_plain_error_bodies(swift):
    response = swift.call("GET", "missing")
    assert response.status_code == 404 and response.content == NOT_FOUND
    response = swift.call("GET", token=None)
    assert response.status_code == 401 and b"<h1>Unauthorized</h1>" in response.content
    assert swift.call("GET", token="not-a-token").status_code == 401


def test_info_at_root_and_under_object(client):
    for url in ("/info", "/object/info"):
        response = client.get(url)
        assert response.status_code == 200
        document = json.loads(response.content)
        assert "slo" in document and "tempurl" in document and document["swift"]["container_listing_limit"]
        assert response["X-Trans-Id"]


# -- account -------------------------------------------------------------------------------------------
def test_account_head_counts(swift, filled):
    response = swift.call("HEAD")
    assert response.status_code == 204
    assert response["X-Account-Container-Count"] == "1"
    assert response["X-Account-Object-Count"] == str(len(filled))
    assert int(response["X-Account-Bytes-Used"]) == sum(len(n) * 3 for n in filled)


def test_account_listing_formats_and_paging(swift):
    for name in ("c1", "c2", "c3", "x"):
        assert swift.call("PUT", name).status_code == 201
    assert listing(swift) == ["c1", "c2", "c3", "x"]
    assert listing(swift, query="limit=2") == ["c1", "c2"]
    assert listing(swift, query="marker=c2") == ["c3", "x"]
    assert listing(swift, query="end_marker=c3") == ["c1", "c2"]
    assert listing(swift, query="prefix=c") == ["c1", "c2", "c3"]
    assert listing(swift, query="reverse=true") == ["x", "c3", "c2", "c1"]
    assert listing(swift, query="reverse=true&marker=c3") == ["c2", "c1"]
    plain = swift.call("GET")
    assert plain.status_code == 200 and plain.content == b"c1\nc2\nc3\nx\n"
    xml = swift.call("GET", query="format=xml")
    root = ElementTree.fromstring(xml.content)
    assert root.tag == "account" and [c.find("name").text for c in root] == ["c1", "c2", "c3", "x"]
    entry = json.loads(swift.call("GET", query="format=json&limit=1").content)[0]
    assert set(entry) == {"name", "count", "bytes", "last_modified"}
    assert len(entry["last_modified"]) == 26 and entry["last_modified"][10] == "T"


def test_account_listing_empty_is_204_in_plain(swift):
    assert swift.call("GET").status_code == 204
    assert swift.call("GET", query="format=json").content == b"[]"


def test_account_listing_bad_limit(swift):
    assert swift.call("GET", query="limit=abc").status_code == 400
    assert swift.call("GET", query="limit=10001").status_code == 413


def test_account_metadata(swift):
    assert swift.call("POST", headers={"X-Account-Meta-Color": "red"}).status_code == 204
    assert swift.call("HEAD")["X-Account-Meta-Color"] == "red"
    swift.call("POST", headers={"X-Remove-Account-Meta-Color": "x"})
    assert "X-Account-Meta-Color" not in swift.call("HEAD")


def test_another_projects_account_is_forbidden(swift, admin_token):
    from identity.models import Project

    admin_project = Project.objects.get(name="admin").id
    assert swift.call("HEAD", project=admin_project).status_code == 403
    assert swift.call("PUT", "c", project=admin_project).status_code == 403
    # The admin may use any account.
    assert swift.call("PUT", "adm", token=admin_token).status_code == 201
    assert swift.call("HEAD", token=admin_token).status_code == 204


def test_reader_reads_but_cannot_write(swift, bootstrapped, issue_token):
    from identity.models import Project, Role, RoleAssignment, User

    from django.contrib.auth.hashers import make_password

    demo = Project.objects.get(name="demo")
    user = User.objects.create(name="viewer", domain_id="default", password=make_password("viewerpw"))
    RoleAssignment.objects.create(role=Role.objects.get(name="reader"), user=user, project=demo)
    from identity.services.cache import changed

    changed()
    token = issue_token("viewer", "viewerpw", "demo")
    assert swift.call("PUT", "c").status_code == 201
    assert swift.call("HEAD", token=token).status_code == 204
    assert swift.call("GET", "c", token=token).status_code == 204
    assert swift.call("PUT", "c2", token=token).status_code == 403
    assert swift.call("PUT", "c", "o", body=b"x", token=token).status_code == 403


# -- containers ------------------------------------------------------------------------------------------
def test_container_create_update_delete(swift):
    assert swift.call("PUT", "box", headers={"X-Container-Meta-Owner": "me"}).status_code == 201
    assert swift.call("PUT", "box").status_code == 202
    head = swift.call("HEAD", "box")
    assert head.status_code == 204 and head["X-Container-Meta-Owner"] == "me"
    assert head["X-Container-Object-Count"] == "0"
    assert swift.call("POST", "box", headers={"X-Container-Meta-Owner": ""}).status_code == 204
    assert "X-Container-Meta-Owner" not in swift.call("HEAD", "box")
    swift.call("PUT", "box", "o", body=b"x")
    conflict = swift.call("DELETE", "box")
    assert conflict.status_code == 409 and b"<h1>Conflict</h1>" in conflict.content
    swift.call("DELETE", "box", "o")
    assert swift.call("DELETE", "box").status_code == 204
    assert swift.call("DELETE", "box").status_code == 404
    assert swift.call("POST", "box").status_code == 404
    assert swift.call("HEAD", "box").status_code == 404


def test_container_name_checks(swift):
    assert swift.call("PUT", "x" * 257).status_code == 400


def test_container_listing_parameters(swift, filled):
    assert listing(swift, "photos") == sorted(filled)
    assert listing(swift, "photos", query="delimiter=/") == ["a.txt", "b/", "d.txt", "e/"]
    assert listing(swift, "photos", query="prefix=b/&delimiter=/") == ["b/1.jpg", "b/2.jpg", "b/c/"]
    assert listing(swift, "photos", query="delimiter=/&marker=b/") == ["d.txt", "e/"]
    assert listing(swift, "photos", query="delimiter=/&limit=2") == ["a.txt", "b/"]
    assert listing(swift, "photos", query="delimiter=/&reverse=on") == ["e/", "d.txt", "b/", "a.txt"]
    assert listing(swift, "photos", query="path=b") == ["b/1.jpg", "b/2.jpg"]
    assert listing(swift, "photos", query="marker=b/2.jpg&end_marker=e") == ["b/c/3.jpg", "d.txt"]
    assert listing(swift, "photos", query="prefix=zzz") == []
    entries = json.loads(swift.call("GET", "photos", query="format=json&limit=1").content)
    assert set(entries[0]) == {"name", "hash", "bytes", "content_type", "last_modified"}
    assert entries[0]["hash"] == hashlib.md5(b"a.txta.txta.txt").hexdigest()
    xml = ElementTree.fromstring(swift.call("GET", "photos", query="format=xml&delimiter=/").content)
    assert [e.tag for e in xml] == ["object", "subdir", "object", "subdir"]
    assert swift.call("GET", "photos", query="delimiter=ab").status_code == 400


def test_container_listing_pages_cover_everything(swift):
    swift.call("PUT", "many")
    names = sorted(f"n{i:03d}" for i in range(25))
    for name in names:
        swift.call("PUT", "many", name, body=b"")
    seen, marker = [], ""
    while True:
        page = listing(swift, "many", query=f"limit=7&marker={marker}")
        if not page:
            break
        seen += page
        marker = page[-1]
    assert seen == names


def test_listing_query_counts(swift, filled, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert swift.call("GET", query="format=json").status_code == 200
    with django_assert_max_num_queries(8):
        assert swift.call("GET", "photos", query="format=json").status_code == 200


def test_byte_order_listing(swift):
    swift.call("PUT", "order")
    names = ["B", "a", "a-b", "a_b", "a/b", "Z9", "\u00e9t\u00e9"]
    for name in names:
        swift.call("PUT", "order", name, body=b"")
    assert listing(swift, "order") == sorted(names, key=lambda n: n.encode())


# -- objects -----------------------------------------------------------------------------------------------
def test_object_put_get_head_delete(swift):
    swift.call("PUT", "c")
    data = b"0123456789" * 100
    put = swift.call("PUT", "c", "dir/file.json", body=data, headers={"X-Object-Meta-Kind": "digits"})
    assert put.status_code == 201 and put["Etag"] == hashlib.md5(data).hexdigest()
    head = swift.call("HEAD", "c", "dir/file.json")
    assert head.status_code == 200 and head["Content-Length"] == str(len(data))
    assert head["Content-Type"] == "application/json"  # guessed from the name
    assert head["X-Object-Meta-Kind"] == "digits" and head["X-Timestamp"] and head["Last-Modified"]
    get = swift.call("GET", "c", "dir/file.json")
    assert body(get) == data and get["Etag"] == put["Etag"]
    assert swift.call("DELETE", "c", "dir/file.json").status_code == 204
    assert swift.call("GET", "c", "dir/file.json").status_code == 404
    assert swift.call("HEAD", "c", "dir/file.json").status_code == 404
    assert swift.call("DELETE", "c", "dir/file.json").status_code == 404


def test_object_put_errors(swift):
    assert swift.call("PUT", "nope", "o", body=b"x").status_code == 404
    swift.call("PUT", "c")
    bad = swift.call("PUT", "c", "o", body=b"data", headers={"Etag": "0" * 32})
    assert bad.status_code == 422
    assert swift.call("GET", "c", "o").status_code == 404  # nothing half-written
    assert swift.call("PUT", "c", "o", body=b"data", headers={"Etag": hashlib.md5(b"data").hexdigest()}) \
        .status_code == 201
    assert swift.call("PUT", "c", "x" * 1025, body=b"x").status_code == 400
    assert swift.call("PUT", "c", "o", body=b"x", headers={"X-Object-Meta-" + "k" * 200: "v"}).status_code == 400
    assert swift.call("PUT", "c", "o", body=b"x", headers={"X-Delete-At": "12"}).status_code == 400
    assert swift.call("PUT", "c", "o", body=b"x", headers={"X-Delete-After": "soon"}).status_code == 400


def test_failed_etag_keeps_the_previous_version(swift):
    swift.call("PUT", "c")
    swift.call("PUT", "c", "o", body=b"v1")
    assert swift.call("PUT", "c", "o", body=b"v2", headers={"Etag": "0" * 32}).status_code == 422
    assert body(swift.call("GET", "c", "o")) == b"v1"


def test_explicit_content_type_kept(swift):
    swift.call("PUT", "c")
    swift.call("PUT", "c", "o.txt", body=b"x", headers={"Content-Type": "image/png"})
    assert swift.call("HEAD", "c", "o.txt")["Content-Type"] == "image/png"


def test_ranges(swift):
    swift.call("PUT", "c")
    data = bytes(range(256)) * 4
    swift.call("PUT", "c", "r", body=data)
    part = swift.call("GET", "c", "r", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and body(part) == data[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(data)}" and part["Content-Length"] == "10"
    assert body(swift.call("GET", "c", "r", headers={"Range": "bytes=-5"})) == data[-5:]
    assert body(swift.call("GET", "c", "r", headers={"Range": "bytes=1000-"})) == data[1000:]
    bad = swift.call("GET", "c", "r", headers={"Range": "bytes=5000-6000"})
    assert bad.status_code == 416 and bad["Content-Range"] == f"bytes */{len(data)}"


def test_conditional_requests(swift):
    swift.call("PUT", "c")
    etag = swift.call("PUT", "c", "o", body=b"cond")["Etag"]
    assert swift.call("GET", "c", "o", headers={"If-Match": etag}).status_code == 200
    assert swift.call("GET", "c", "o", headers={"If-Match": "nope"}).status_code == 412
    assert swift.call("GET", "c", "o", headers={"If-None-Match": etag}).status_code == 304
    assert swift.call("GET", "c", "o", headers={"If-None-Match": "other"}).status_code == 200
    future = "Sat, 01 Jan 2100 00:00:00 GMT"
    past = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert swift.call("GET", "c", "o", headers={"If-Modified-Since": future}).status_code == 304
    assert swift.call("GET", "c", "o", headers={"If-Modified-Since": past}).status_code == 200
    assert swift.call("GET", "c", "o", headers={"If-Unmodified-Since": past}).status_code == 412


def test_object_post_replaces_metadata(swift):
    swift.call("PUT", "c")
    swift.call("PUT", "c", "o", body=b"x", headers={"X-Object-Meta-A": "1", "X-Object-Meta-B": "2"})
    assert swift.call("POST", "c", "o", headers={"X-Object-Meta-C": "3"}).status_code == 202
    head = swift.call("HEAD", "c", "o")
    assert head["X-Object-Meta-C"] == "3" and "X-Object-Meta-A" not in head
    assert swift.call("POST", "c", "missing").status_code == 404


def test_copy_and_x_copy_from(swift):
    swift.call("PUT", "c")
    swift.call("PUT", "d")
    swift.call("PUT", "c", "src", body=b"payload", headers={"X-Object-Meta-Tag": "t"})
    copy = swift.call("COPY", "c", "src", headers={"Destination": "d/dst"})
    assert copy.status_code == 201 and copy["X-Copied-From"] == "c/src"
    assert body(swift.call("GET", "d", "dst")) == b"payload"
    assert swift.call("HEAD", "d", "dst")["X-Object-Meta-Tag"] == "t"
    put = swift.call("PUT", "c", "dup", body=b"", headers={"X-Copy-From": "/c/src", "X-Object-Meta-New": "n"})
    assert put.status_code == 201
    head = swift.call("HEAD", "c", "dup")
    assert head["X-Object-Meta-Tag"] == "t" and head["X-Object-Meta-New"] == "n"
    assert swift.call("COPY", "c", "src").status_code == 412
    assert swift.call("COPY", "c", "missing", headers={"Destination": "d/x"}).status_code == 404
    assert swift.call("PUT", "c", "x", body=b"", headers={"X-Copy-From": "nodelimiter"}).status_code == 412


def test_expiry(swift):
    from storage.objects import services
    from storage.objects.models import ObjectRecord

    swift.call("PUT", "c")
    swift.call("PUT", "c", "soon", body=b"x", headers={"X-Delete-After": "100"})
    head = swift.call("HEAD", "c", "soon")
    assert int(head["X-Delete-At"]) >= int(time.time()) + 99
    # Let it expire (moving the clock is simpler than sleeping).
    ObjectRecord.objects.filter(name="soon").update(delete_at=int(time.time()) - 1)
    assert swift.call("GET", "c", "soon").status_code == 404
    assert listing(swift, "c") == []
    assert swift.call("HEAD", "c")["X-Container-Object-Count"] == "0"
    assert services.reap_expired() == 1
    assert not ObjectRecord.objects.filter(name="soon").exists()
    swift.call("PUT", "c", "later", body=b"x", headers={"X-Delete-At": str(int(time.time()) + 500)})
    swift.call("POST", "c", "later", headers={"X-Remove-Delete-At": "1"})
    assert "X-Delete-At" not in swift.call("HEAD", "c", "later")


# -- large objects -------------------------------------------------------------------------------------------
def test_static_large_object(swift):
    swift.call("PUT", "c")
    swift.call("PUT", "segs")
    parts = [b"a" * 1000, b"b" * 1500, b"c" * 10]
    manifest = []
    for index, part in enumerate(parts):
        etag = swift.call("PUT", "segs", f"p{index}", body=part)["Etag"]
        manifest.append({"path": f"/segs/p{index}", "etag": etag, "size_bytes": len(part)})
    put = swift.call("PUT", "c", "big", body=json.dumps(manifest).encode(), query="multipart-manifest=put")
    assert put.status_code == 201, put.content
    whole_etag = hashlib.md5("".join(hashlib.md5(p).hexdigest() for p in parts).encode()).hexdigest()
    assert put["Etag"] == f'"{whole_etag}"'
    get = swift.call("GET", "c", "big")
    assert body(get) == b"".join(parts) and get["X-Static-Large-Object"] == "True"
    assert get["Content-Length"] == str(sum(map(len, parts)))
    ranged = swift.call("GET", "c", "big", headers={"Range": "bytes=990-1009"})
    assert body(ranged) == (b"".join(parts))[990:1010]
    raw = json.loads(body(swift.call("GET", "c", "big", query="multipart-manifest=get")))
    assert [s["name"] for s in raw] == ["/segs/p0", "/segs/p1", "/segs/p2"]
    entry = json.loads(swift.call("GET", "c", query="format=json").content)[0]
    assert entry["bytes"] == sum(map(len, parts)) and entry["hash"] == whole_etag
    assert swift.call("DELETE", "c", "big", query="multipart-manifest=delete").status_code == 204
    assert listing(swift, "segs") == []


def test_slo_manifest_errors(swift):
    swift.call("PUT", "c")
    for manifest in (b"not json", b"{}", b"[]", json.dumps([{"path": "/c/missing"}]).encode(),
                     json.dumps([{"nopath": 1}]).encode()):
        assert swift.call("PUT", "c", "m", body=manifest, query="multipart-manifest=put").status_code == 400
    swift.call("PUT", "c", "seg", body=b"xyz")
    wrong = json.dumps([{"path": "/c/seg", "etag": "0" * 32}]).encode()
    assert swift.call("PUT", "c", "m", body=wrong, query="multipart-manifest=put").status_code == 400


def test_dynamic_large_object(swift):
    swift.call("PUT", "c")
    for index, part in enumerate([b"one-", b"two-", b"three"]):
        swift.call("PUT", "c", f"segments/{index:02d}", body=part)
    put = swift.call("PUT", "c", "dlo", body=b"", headers={"X-Object-Manifest": "c/segments/"})
    assert put.status_code == 201
    get = swift.call("GET", "c", "dlo")
    assert body(get) == b"one-two-three" and get["X-Object-Manifest"] == "c/segments/"
    assert swift.call("PUT", "c", "bad", body=b"", headers={"X-Object-Manifest": "nocontainer"}).status_code == 400


# -- ACLs, quotas, TempURL -------------------------------------------------------------------------------------
def test_public_container_readable_anonymously(swift):
    swift.call("PUT", "pub", headers={"X-Container-Read": ".r:*"})
    swift.call("PUT", "pub", "page.html", body=b"<p>hi</p>")
    anonymous = swift.call("GET", "pub", "page.html", token=None)
    assert anonymous.status_code == 200 and body(anonymous) == b"<p>hi</p>"
    # Listing needs .rlistings as well.
    assert swift.call("GET", "pub", token=None).status_code == 401
    swift.call("POST", "pub", headers={"X-Container-Read": ".r:*,.rlistings",
                                       "X-Container-Meta-Temp-URL-Key": "hidden"})
    public_listing = swift.call("GET", "pub", token=None, query="format=json")
    assert public_listing.status_code == 200
    assert "X-Container-Meta-Temp-Url-Key" not in public_listing and "X-Container-Read" not in public_listing
    assert swift.call("HEAD", "pub")["X-Container-Meta-Temp-Url-Key"] == "hidden"
    assert swift.call("PUT", "pub", "x", body=b"x", token=None).status_code == 401
    assert swift.call("HEAD", "pub")["X-Container-Read"] == ".r:*,.rlistings"
    swift.call("POST", "pub", headers={"X-Remove-Container-Read": "1"})
    assert swift.call("GET", "pub", "page.html", token=None).status_code == 401


def test_referrer_rules(swift):
    swift.call("PUT", "ref", headers={"X-Container-Read": ".r:.example.com,.r:-bad.example.com"})
    swift.call("PUT", "ref", "o", body=b"x")
    ok = swift.call("GET", "ref", "o", token=None, headers={"Referer": "http://www.example.com/page"})
    assert ok.status_code == 200
    assert swift.call("GET", "ref", "o", token=None,
                      headers={"Referer": "http://bad.example.com/"}).status_code == 401
    assert swift.call("GET", "ref", "o", token=None).status_code == 401
    assert swift.call("PUT", "bad", headers={"X-Container-Read": ".r:"}).status_code == 400


def test_acl_grants_another_project(swift, admin_token, issue_token):
    from identity.models import Project

    admin_project = Project.objects.get(name="admin").id
    swift.call("PUT", "shared", token=admin_token, project=admin_project,
               headers={"X-Container-Read": f"{swift.project}:*"})
    swift.call("PUT", "shared", "o", body=b"data", token=admin_token, project=admin_project)
    assert body(swift.call("GET", "shared", "o", project=admin_project)) == b"data"
    assert swift.call("PUT", "shared", "w", body=b"x", project=admin_project).status_code == 403
    swift.call("POST", "shared", token=admin_token, project=admin_project,
               headers={"X-Container-Write": "demo:demo"})
    assert swift.call("PUT", "shared", "w", body=b"x", project=admin_project).status_code == 201


def test_container_quotas(swift):
    swift.call("PUT", "q", headers={"X-Container-Meta-Quota-Bytes": "10", "X-Container-Meta-Quota-Count": "2"})
    assert swift.call("PUT", "q", "big", body=b"x" * 11).status_code == 413
    assert swift.call("PUT", "q", "a", body=b"x" * 5).status_code == 201
    assert swift.call("PUT", "q", "a", body=b"x" * 10).status_code == 201  # replacing fits
    assert swift.call("PUT", "q", "b", body=b"").status_code == 201
    assert swift.call("PUT", "q", "c", body=b"").status_code == 413
    assert swift.call("PUT", "q2", headers={"X-Container-Meta-Quota-Bytes": "lots"}).status_code == 400


@pytest.mark.parametrize("digest", ["sha1", "sha256"])
def test_tempurl(swift, digest):
    swift.call("POST", headers={"X-Account-Meta-Temp-URL-Key": "secret"})
    swift.call("PUT", "c")
    swift.call("PUT", "c", "o", body=b"temp")
    expires = int(time.time()) + 60
    path = swift.url("c", "o")
    sig = hmac.new(b"secret", f"GET\n{expires}\n{path}".encode(), digest).hexdigest()
    ok = swift.call("GET", "c", "o", token=None, query=f"temp_url_sig={sig}&temp_url_expires={expires}")
    assert ok.status_code == 200 and body(ok) == b"temp"
    # Signed over the path without the /object mount, as Swift's own paths are.
    short = path[len("/object"):]
    sig2 = hmac.new(b"secret", f"GET\n{expires}\n{short}".encode(), digest).hexdigest()
    assert swift.call("GET", "c", "o", token=None,
                      query=f"temp_url_sig={sig2}&temp_url_expires={expires}").status_code == 200
    assert swift.call("GET", "c", "o", token=None,
                      query=f"temp_url_sig={'0' * len(sig)}&temp_url_expires={expires}").status_code == 401
    assert swift.call("DELETE", "c", "o", token=None,
                      query=f"temp_url_sig={sig}&temp_url_expires={expires}").status_code == 401
    old = int(time.time()) - 10
    sig_old = hmac.new(b"secret", f"GET\n{old}\n{path}".encode(), digest).hexdigest()
    assert swift.call("GET", "c", "o", token=None,
                      query=f"temp_url_sig={sig_old}&temp_url_expires={old}").status_code == 401
    put_sig = hmac.new(b"secret", f"PUT\n{expires}\n{swift.url('c', 'up')}".encode(), digest).hexdigest()
    assert swift.call("PUT", "c", "up", body=b"uploaded", token=None,
                      query=f"temp_url_sig={put_sig}&temp_url_expires={expires}").status_code == 201


def test_methods_not_allowed(swift):
    swift.call("PUT", "c")
    assert swift.call("PATCH", "c").status_code == 405
    assert swift.call("PUT").status_code == 405


def test_names_that_need_quoting(swift):
    swift.call("PUT", "c c")
    for name in ("sp ace/\u00fc?x#y", "percent%20literal", "trailing/"):
        assert swift.call("PUT", "c c", name, body=name.encode()).status_code == 201, name
        assert body(swift.call("GET", "c c", name)) == name.encode()
    assert sorted(listing(swift, "c c")) == sorted(["sp ace/\u00fc?x#y", "percent%20literal", "trailing/"])


def test_garbage_is_a_4xx_never_a_500(swift):
    swift.call("PUT", "c")
    swift.call("PUT", "c", "o", body=b"data")
    cases = [
        swift.call("PUT", "c", "nul\x00name", body=b"x"),
        swift.call("PUT", "nul\x00c"),
        swift.call("GET", "c", query="limit=-1"),
        swift.call("GET", "c", query="marker=%00&format=json"),
        swift.call("GET", "c", "o", headers={"Range": "bytes=abc"}),
        swift.call("GET", "c", "o", headers={"If-Modified-Since": "not a date"}),
        swift.call("POST", headers={"X-Account-Meta-Big": "v" * 300}),
        swift.call("COPY", "c", "o", headers={"Destination": "missing/x"}),
        swift.call("PUT", "c", "slo", body=b'[{"path": "/c/o", "size_bytes": "4"}]', query="multipart-manifest=put"),
        swift.call("PUT", "c", "o2", body=b"x", headers={"X-Copy-From": "c/missing"}),
        swift.call("POST", "c", "o", headers={"X-Delete-At": "soon"}),
        swift.call("GET", "c", "o", query="temp_url_sig=abc&temp_url_expires=notanumber", token=None),
    ]
    assert [r.status_code for r in cases if not 400 <= r.status_code < 500 and r.status_code not in (200, 204, 206)] \
        == []
    assert cases[0].status_code == 400 and cases[2].status_code == 400 and cases[7].status_code == 404


def test_null_characters_anywhere(swift):
    swift.call("PUT", "c")
    for response in (swift.call("GET", "c", "a\x00b"), swift.call("HEAD", "c", query="prefix=%00"),
                     swift.call("DELETE", "c\x00")):
        assert response.status_code == 400


def test_form_post(swift, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    swift.call("POST", headers={"X-Account-Meta-Temp-URL-Key": "formkey"})
    swift.call("PUT", "uploads")
    path = swift.url("uploads", "in/")
    expires = int(time.time()) + 60
    redirect = "http://example.com/done"
    body = f"{path}\n{redirect}\n1000\n2\n{expires}"
    signature = hmac.new(b"formkey", body.encode(), "sha1").hexdigest()
    fields = {"redirect": redirect, "max_file_size": "1000", "max_file_count": "2", "expires": str(expires),
              "signature": signature}
    response = client.post(path, {**fields, "file1": SimpleUploadedFile("a.txt", b"first"),
                                  "file2": SimpleUploadedFile("b.txt", b"second")})
    assert response.status_code == 302 and "status=201" in response["Location"]
    assert body_of(swift, "uploads", "in/a.txt") == b"first"
    assert body_of(swift, "uploads", "in/b.txt") == b"second"
    too_big = client.post(path, {**fields, "file1": SimpleUploadedFile("c.txt", b"x" * 1001)})
    assert "status=400" in too_big["Location"]
    forged = client.post(path, {**fields, "signature": "0" * 40, "file1": SimpleUploadedFile("d.txt", b"x")})
    assert forged.status_code == 401
    assert swift.call("HEAD", "uploads", "in/d.txt").status_code == 404


def body_of(swift, *parts):
    return body(swift.call("GET", *parts))
