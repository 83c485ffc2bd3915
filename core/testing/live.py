"""A live Nebula for end-to-end tests: its own database, migrated and bootstrapped, gunicorn serving
it on a free port and a real Celery worker on the configured broker, as `make run` starts them.

The real clients (openstack CLI, openstacksdk, swiftclient) and the browser talk to it over HTTP.
"""

import json
import os
import secrets
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from core.testing.processes import ROOT, Process, free_port, start_private_redis, venv_tool, wait_for

ADMIN_PASSWORD = "admin-secret-pw"
DEMO_PASSWORD = "demo-secret-pw"


def _create_postgres_database(url):
    import psycopg

    parsed = urlparse(url)
    name = f"nebula_live_{secrets.token_hex(4)}"
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}")), (admin_url, name)


def _drop_postgres_database(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class LiveCloud:
    def __init__(self, worker_queues=None, extra_env=None, web_workers=1):
        self.web_workers = web_workers
        self.state_dir = Path(tempfile.mkdtemp(prefix="nebula-live-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes = []
        self._drop = None
        self.worker_queues = worker_queues or os.environ.get("NEBULA_WORKER_QUEUES", "default")
        self.extra_env = extra_env or {}
        self.env = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self):
        env = os.environ.copy()
        env.pop("DJANGO_SETTINGS_MODULE", None)
        database_url = os.environ.get("DATABASE_URL", "")
        if database_url.startswith("postgres"):
            database_url, self._drop = _create_postgres_database(database_url)
        else:
            database_url = f"sqlite:///{self.state_dir / 'nebula.sqlite3'}"
        broker = os.environ.get("CELERY_BROKER_URL")
        if not broker:
            redis, broker = start_private_redis(self.state_dir)
            self.processes.append(redis)
        env.update({
            "DJANGO_SETTINGS_MODULE": "cloud.settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "NEBULA_STATE_DIR": str(self.state_dir),
            "PORT": str(self.port),
            "NEBULA_PUBLIC_URL": self.url,
            "NEBULA_PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
            "NEBULA_REVOCATION_CHECK_INTERVAL": "0",
            "PYTHONUNBUFFERED": "1",
        })
        env.update(self.extra_env)
        self.env = env
        python = venv_tool("python")
        self.clouds_yaml = self.state_dir / "clouds.yaml"
        for args in (["migrate", "--no-input", "-v0"],
                     ["bootstrap", "--admin-password", ADMIN_PASSWORD, "--demo-password", DEMO_PASSWORD,
                      "--clouds-yaml", str(self.clouds_yaml)]):
            subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True,
                           capture_output=True, timeout=600)
        # As bin/run: a keep-alive longer than the clients' idle time, or a poll can meet a closing socket.
        self.processes.append(Process("web", [venv_tool("gunicorn"), "cloud.wsgi", "--bind",
                                              f"127.0.0.1:{self.port}", "--workers", str(self.web_workers), "--threads", "16",
                                              "--timeout", "600", "--keep-alive", "75", "--no-control-socket"], env, self.state_dir))
        self.start_worker("worker", self.worker_queues)
        wait_for(self._answers, 60, what=f"web server on {self.url}")
        return self

    def start_worker(self, name, queues, extra_env=None, hostname=None):
        env = dict(self.env)
        env.update(extra_env or {})
        proc = Process(name, [venv_tool("celery"), "-A", "cloud", "worker", "--loglevel", "INFO",
                              "--concurrency", "2", "--pool", "threads", "-Q", queues,
                              "-n", hostname or f"{name}-{self.port}@%h"], env, self.state_dir)
        self.processes.append(proc)
        return proc

    def _answers(self):
        for proc in self.processes:
            if not proc.alive():
                raise RuntimeError(f"{proc.name} exited:\n{proc.tail()}")
        with urllib.request.urlopen(f"{self.url}/identity/v3", timeout=2) as response:
            return response.status == 200

    def stop(self):
        for proc in reversed(self.processes):
            proc.stop()
        if self._drop:
            _drop_postgres_database(*self._drop)

    def logs(self):
        return "\n".join(f"--- {p.name} ---\n{p.tail()}" for p in self.processes)

    # -- clients ---------------------------------------------------------------------------
    def client_env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env["OS_CLIENT_CONFIG_FILE"] = str(self.clouds_yaml)
        return env

    def openstack(self, *args, cloud="nebula-admin", as_json=True, check=True, env=None, timeout=120):
        """Run the real `openstack` CLI; parsed `-f json` output when as_json."""
        command = [venv_tool("openstack"), "--os-cloud", cloud, *args]
        if as_json:
            command += ["-f", "json"]
        result = subprocess.run(command, env={**self.client_env(), **(env or {})}, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"openstack {' '.join(args)} failed ({result.returncode}):\n"
                                 f"{result.stdout}\n{result.stderr}")
        if not check:
            return result
        if as_json and result.stdout.strip():
            return json.loads(result.stdout)
        return result.stdout

    def sdk(self, cloud="nebula-admin"):
        """An openstacksdk Connection configured from this cloud's clouds.yaml only."""
        from openstack import connection
        from openstack.config import OpenStackConfig

        config = OpenStackConfig(config_files=[str(self.clouds_yaml)]).get_one(cloud=cloud)
        return connection.Connection(config=config)
