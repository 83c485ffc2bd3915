import pytest

from storage.images.stores import get_store, store_for_location
from storage.images.stores.base import StoreFull
from storage.images.stores.filesystem import FilesystemStore


def test_stage_commit_open_delete(tmp_path):
    store = FilesystemStore(tmp_path)
    staged = store.stage("abc", iter([b"hello ", b"world"]))
    assert staged.size == 11
    assert store.orphans() == [staged.handle]  # invisible until committed
    location = store.commit(staged)
    assert location == "file:abc"
    assert store.orphans() == []
    with store.open(location) as handle:
        assert handle.read() == b"hello world"
    assert store.size(location) == 11
    store.delete(location)
    store.delete(location)  # a second delete is not an error
    assert list(tmp_path.iterdir()) == []


def test_discard_leaves_nothing(tmp_path):
    store = FilesystemStore(tmp_path)
    staged = store.stage("abc", iter([b"x"]))
    store.discard(staged)
    store.discard(staged)
    assert list(tmp_path.iterdir()) == []


def test_too_much_data_raises_store_full_and_cleans_up(tmp_path):
    store = FilesystemStore(tmp_path)
    with pytest.raises(StoreFull):
        store.stage("abc", iter([b"x" * 10, b"y" * 10]), max_size=15)
    assert list(tmp_path.iterdir()) == []


def test_broken_stream_cleans_up(tmp_path):
    def broken():
        yield b"part"
        raise OSError("client went away")

    store = FilesystemStore(tmp_path)
    with pytest.raises(OSError):
        store.stage("abc", broken())
    assert list(tmp_path.iterdir()) == []


def test_commit_replaces_atomically(tmp_path):
    store = FilesystemStore(tmp_path)
    store.commit(store.stage("abc", iter([b"old"])))
    location = store.commit(store.stage("abc", iter([b"new"])))
    assert store.open(location).read() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["abc"]


@pytest.mark.parametrize("key", ["", "../etc", ".hidden", "a/b"])
def test_bad_keys_are_refused(tmp_path, key):
    with pytest.raises(ValueError):
        FilesystemStore(tmp_path).open(f"file:{key}")


def test_store_from_settings(settings, tmp_path):
    settings.IMAGE_STORE_DIR = tmp_path / "store"
    store = get_store()
    location = store.commit(store.stage("xyz", iter([b"1"])))
    assert (tmp_path / "store" / "xyz").exists()
    assert isinstance(store_for_location(location), FilesystemStore)
