"""The serial console of a guest: QEMU appends it to one file per instance; os-getConsoleOutput reads it."""

from pathlib import Path

MAX_BYTES = 1024 * 1024


def read(path, length=None):
    """The log's text, or its last `length` lines; at most the last MAX_BYTES of the file are read."""
    path = Path(path)
    if not path.exists():
        return ""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - MAX_BYTES))
        text = handle.read().decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "")
    if length is not None:
        lines = text.splitlines(keepends=True)
        text = "".join(lines[-int(length):]) if int(length) > 0 else ""
    return text


def signature(path):
    """(size, mtime) of the log, or None when there is none: a cheap "has it changed" for the host's report."""
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def contains(path, marker):
    return marker.search(read(path)) is not None if hasattr(marker, "search") else marker in read(path)
