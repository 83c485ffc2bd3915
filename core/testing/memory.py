"""Memory of live server processes, read from /proc (for tests and benchmarks that bound it)."""

import threading
from pathlib import Path


def rss_kib(pid):
    """Resident set size of a process in KiB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def children(pid):
    """Direct children of a process (gunicorn's workers under its master)."""
    result = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        result.extend(int(child) for child in text)
    return result


class PeakSampler:
    """Samples the RSS of some processes every `interval` seconds in a thread; `.peak` is the largest sum."""

    def __init__(self, pids, interval=0.02):
        self.pids, self.interval = list(pids), interval
        self.peak = self.current()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def current(self):
        return sum(rss_kib(pid) for pid in self.pids)

    def _run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.current())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())
