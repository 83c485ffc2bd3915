"""Chunked, compressed, hashed volume images in the object store (pure functions over a stream).

Each chunk of the raw volume is compressed with zlib and stored as `<backup id>/chunk-<index>`; the
manifest records, per index, the object holding it, its sha256 (of the raw bytes) and its length.
An incremental backup compares each chunk's sha256 with its parent's and stores only the changed
ones, pointing at the parent's objects for the rest."""

import hashlib
import zlib


def object_name(backup_id, index):
    return f"{backup_id}/chunk-{index:08d}"


def plan(raw_file, chunk_size, backup_id, parent_manifest=()):
    """Yield (manifest entry, compressed bytes or None when the parent's object is reused)."""
    parent = {entry["index"]: entry for entry in parent_manifest}
    index = 0
    while True:
        data = raw_file.read(chunk_size)
        if not data:
            return
        digest = hashlib.sha256(data).hexdigest()
        previous = parent.get(index)
        if previous is not None and previous["sha256"] == digest and previous["length"] == len(data):
            yield dict(previous), None
        else:
            yield ({"index": index, "object": object_name(backup_id, index), "sha256": digest,
                    "length": len(data)}, zlib.compress(data, 1))
        index += 1


def unpack(entry, compressed):
    data = zlib.decompress(compressed)
    if len(data) != entry["length"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ValueError(f"chunk {entry['index']} ({entry['object']}) does not match its sha256")
    return data
