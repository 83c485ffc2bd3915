"""Start and stop the real processes tests need: a private redis-server, gunicorn, Celery workers."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(ROOT) / ".venv" / "bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def venv_tool(name):
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else shutil.which(name)


def wait_for(predicate, timeout=60.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception as error:  # noqa: BLE001 - retried until the deadline
            last_error = error
        time.sleep(interval)
    raise TimeoutError(f"timed out waiting for {what}: {last_error}")


class Process:
    def __init__(self, name, args, env, log_dir, cwd=ROOT):
        self.name = name
        self.log_path = Path(log_dir) / f"{name}.log"
        self.log = open(self.log_path, "ab")
        self.popen = subprocess.Popen(args, env=env, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    def alive(self):
        return self.popen.poll() is None

    def stop(self, timeout=15):
        if self.popen.poll() is None:
            try:
                os.killpg(self.popen.pid, 15)
            except ProcessLookupError:
                pass
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, 9)
                self.popen.wait(5)
        self.log.close()

    def tail(self, lines=60):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start_private_redis(state_dir):
    """A redis-server on a unix socket in state_dir; returns (Process, broker URL)."""
    run_dir = Path(state_dir) / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    sock = run_dir / "redis.sock"
    proc = Process("redis", [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", "0",
                             "--unixsocket", str(sock), "--unixsocketperm", "700", "--save", "",
                             "--appendonly", "no", "--dir", str(run_dir)], os.environ.copy(), state_dir)
    wait_for(sock.exists, 10, what="redis socket")
    return proc, f"redis+socket://{sock}"
