"""The Fernet key repository, as keystone-manage keeps it: numbered key files in one directory.

Key 0 is staged (the next primary, already accepted so every process knows it before it signs),
the highest number is the primary (signs new tokens), the rest are secondaries (still accepted).
Knows files and cryptography only.
"""

import os
import threading
import time
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet


class KeyRepositoryError(RuntimeError):
    pass


class KeyRepository:
    RELOAD_INTERVAL = 1.0

    def __init__(self, path, max_active_keys=3):
        self.path = Path(path)
        self.max_active_keys = max(2, int(max_active_keys))
        self._lock = threading.Lock()
        self._fernet = None
        self._loaded_at = 0.0
        self._signature = None

    def _key_files(self):
        if not self.path.is_dir():
            return {}
        keys = {}
        for entry in self.path.iterdir():
            if entry.name.isdigit():
                keys[int(entry.name)] = entry
        return keys

    def _write_key(self, number):
        target = self.path / str(number)
        temp = self.path / f".{number}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(Fernet.generate_key())
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)

    def setup(self):
        """Create the repository with a staged and a primary key if it has none."""
        self.path.mkdir(parents=True, exist_ok=True)
        os.chmod(self.path, 0o700)
        keys = self._key_files()
        if 0 not in keys:
            self._write_key(0)
        if not any(n > 0 for n in self._key_files()):
            self.rotate()
        self.invalidate()

    def rotate(self):
        """Staged key becomes primary, a new staged key is made, the oldest beyond the limit go."""
        with self._lock:
            keys = self._key_files()
            if 0 not in keys:
                self._write_key(0)
                keys = self._key_files()
            new_primary = max(keys) + 1
            os.replace(keys[0], self.path / str(new_primary))
            self._write_key(0)
            numbered = sorted(n for n in self._key_files() if n > 0)
            # max_active counts staged + primary + secondaries.
            excess = len(numbered) + 1 - self.max_active_keys
            for number in numbered[:max(0, excess)]:
                (self.path / str(number)).unlink()
            self._fernet = None
        return new_primary

    def invalidate(self):
        with self._lock:
            self._fernet = None

    def key_numbers(self):
        return sorted(self._key_files())

    def _load(self):
        keys = self._key_files()
        if not keys or all(n == 0 for n in keys):
            raise KeyRepositoryError(f"no Fernet keys in {self.path}; run `manage.py fernet_setup`")
        # Primary (highest) first: MultiFernet encrypts with the first and tries all to decrypt.
        ordered = [keys[n] for n in sorted((n for n in keys if n > 0), reverse=True)]
        if 0 in keys:
            ordered.append(keys[0])
        return MultiFernet([Fernet(path.read_bytes().strip()) for path in ordered])

    def fernet(self):
        now = time.monotonic()
        fernet = self._fernet
        if fernet is not None and now - self._loaded_at < self.RELOAD_INTERVAL:
            return fernet
        with self._lock:
            signature = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in self._key_files().values()))
            if self._fernet is None or signature != self._signature:
                self._fernet = self._load()
                self._signature = signature
            self._loaded_at = now
            return self._fernet

    def encrypt(self, payload: bytes) -> str:
        return self.fernet().encrypt(payload).decode("ascii").rstrip("=")

    def decrypt(self, token: str) -> bytes:
        """Raises cryptography.fernet.InvalidToken for anything not made with an active key."""
        padded = token + "=" * (-len(token) % 4)
        return self.fernet().decrypt(padded.encode("ascii"))


_repository = None


def _forget_repository(setting=None, **kwargs):
    global _repository
    if setting in ("FERNET_KEY_REPOSITORY", "FERNET_MAX_ACTIVE_KEYS"):
        _repository = None


def repository():
    """The process's key repository. On the token hot path: no settings read once it exists (a changed
    setting, as tests override it, drops it through Django's setting_changed signal)."""
    global _repository
    repo = _repository
    if repo is not None:
        return repo
    from django.conf import settings

    _repository = KeyRepository(settings.FERNET_KEY_REPOSITORY, settings.FERNET_MAX_ACTIVE_KEYS)
    return _repository


def _connect():
    from django.core.signals import setting_changed

    setting_changed.connect(_forget_repository, dispatch_uid="identity.fernet.forget_repository")


_connect()
