import hashlib
import json


def test_roundtrip(swift):
    r = swift.call("PUT", "c1")
    assert r.status_code == 201, r.content
    r = swift.call("PUT", "c1", "a/b.txt", body=b"hello")
    assert r.status_code == 201, r.content
    assert r["Etag"] == hashlib.md5(b"hello").hexdigest()
    r = swift.call("GET", "c1", "a/b.txt")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == b"hello"
    assert r["Content-Type"] == "text/plain"
    r = swift.call("GET", "c1", query="format=json&delimiter=/")
    assert json.loads(r.content) == [{"subdir": "a/"}]
    r = swift.call("HEAD")
    assert r["X-Account-Object-Count"] == "1", r.headers
