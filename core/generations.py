"""In-process caches that stay correct across processes through a generation counter in the DB.

A process keeps what it cached as long as the generation it saw is current. It re-reads the counter
at most every REVOCATION_CHECK_INTERVAL seconds; its own writes bump it and clear it at once.
"""

import threading
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F


class GenerationCache:
    def __init__(self, name):
        self.name = name
        self._lock = threading.Lock()
        self._seen = None
        self._checked_at = 0.0
        self._stores = {}

    def store(self, key):
        """A dict that lives until the generation changes."""
        self._refresh()
        return self._stores.setdefault(key, {})

    def _refresh(self, force=False):
        now = time.monotonic()
        if not force and now - self._checked_at < settings.REVOCATION_CHECK_INTERVAL:
            return
        from core.models import Generation

        value = Generation.objects.filter(name=self.name).values_list("value", flat=True).first() or 0
        with self._lock:
            if value != self._seen:
                self._stores = {}
                self._seen = value
            self._checked_at = now

    def clear_local(self):
        with self._lock:
            self._stores = {}
            self._checked_at = 0.0

    def bump(self):
        """Record a change; every process drops its cache (this one at commit, others at next check)."""
        from core.models import Generation

        updated = Generation.objects.filter(name=self.name).update(value=F("value") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    Generation.objects.create(name=self.name, value=1)
            except IntegrityError:
                Generation.objects.filter(name=self.name).update(value=F("value") + 1)
        self.clear_local()
        transaction.on_commit(self.clear_local)
