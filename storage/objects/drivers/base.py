"""The object server interface: what the proxy, replicator and auditor ask of one device.

A replica is (data, metadata) under (partition, object hash), named by its Swift timestamp; a
tombstone is metadata alone with `deleted: true`. Every method takes plain values and streams
bytes, so a device on another machine can implement the same interface over HTTP (a small
object-server endpoint per machine, as Swift's object-server): `put` would POST the chunks to
`<server>/<device>/<part>/<hash>/<timestamp>`, `metadata` a HEAD, `open` a GET, and the ring's
`driver` field would name that class with the server's address in `path`. Only the local driver
exists today.
"""


class DeviceUnavailable(OSError):
    pass


class DeviceDriver:
    def __init__(self, device):
        self.device = device

    def available(self):
        raise NotImplementedError

    def writer(self, part, hash_, timestamp):
        """A writer with write(chunk), commit(metadata) (durable and atomic) and abort()."""
        raise NotImplementedError

    def put_tombstone(self, part, hash_, timestamp, metadata):
        raise NotImplementedError

    def metadata(self, part, hash_):
        """The newest replica's metadata (dict with timestamp, deleted, etag, size, name) or None."""
        raise NotImplementedError

    def open(self, part, hash_, timestamp):
        """A binary file object of that replica's data."""
        raise NotImplementedError

    def partitions(self):
        raise NotImplementedError

    def hashes(self, part):
        raise NotImplementedError

    def quarantine(self, part, hash_):
        raise NotImplementedError

    def remove(self, part, hash_, upto=None):
        """Drop the files of that object (all, or those with timestamps up to `upto`): a handoff whose
        primaries all hold it, or a reclaimed tombstone."""
        raise NotImplementedError
