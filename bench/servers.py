"""A PostgreSQL cluster of our own and Casebook under gunicorn in production mode, for the
outage drill (bench/outage_drill.py), the load script (bench/load_reliability.py) and the live
outage test (tests/operations/test_live_outage.py).

The drill stops and starts the database server, so it never uses the shared one: it makes its
own Debian cluster (`pg_createcluster`, trust authentication on loopback) on its own port.
Standard library only, so it imports without Django.
"""

# S607: pg_ctlcluster, psql and createdb are found on PATH, as an operator runs them.
# ruff: noqa: S607

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("PYTHON") or sys.executable
CACHE = ROOT / "bench" / ".cache"


class Cluster:
    """A Debian PostgreSQL cluster (`pg_lsclusters`) that this code may stop and start."""

    def __init__(self, version="15", name="ops", port=5499):
        self.version, self.name, self.port = str(version), name, int(port)

    @classmethod
    def from_spec(cls, spec):
        """`15/ops:5499` → Cluster("15", "ops", 5499)."""
        where, _, port = spec.partition(":")
        version, _, name = where.partition("/")
        return cls(version, name, int(port or 5499))

    def available(self):
        """The cluster tools are installed, and this cluster's PostgreSQL version with them."""
        tools = shutil.which("pg_ctlcluster") is not None and shutil.which("pg_createcluster") is not None
        return tools and Path(f"/usr/lib/postgresql/{self.version}/bin/postgres").exists()

    def exists(self):
        return Path(f"/etc/postgresql/{self.version}/{self.name}").is_dir()

    def create(self):
        # Trust on loopback: a throwaway cluster for drills, listening on 127.0.0.1 only.
        subprocess.run(  # noqa: S603 (fixed argv)
            ["pg_createcluster", self.version, self.name, "-p", str(self.port), "--", "--auth=trust"],
            check=True,
            capture_output=True,
        )

    def ctl(self, action):
        subprocess.run(  # noqa: S603
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action],
            check=True,
            capture_output=True,
        )

    def is_running(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def start(self):
        if not self.is_running():
            self.ctl("start")

    def stop(self):
        # Fast shutdown: open connections are closed, as in a crash or a failover.
        if self.is_running():
            subprocess.run(  # noqa: S603
                ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, "stop", "-m", "fast"],
                check=True,
                capture_output=True,
            )

    def ensure(self):
        if not self.exists():
            self.create()
        self.start()

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def client(self, program):
        return [program, "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]

    def create_database(self, database):
        """Create `database` if missing (through psql on the cluster's port)."""
        exists = subprocess.run(  # noqa: S603
            [*self.client("psql"), "-tA", "-v", f"name={database}"],
            input="SELECT 1 FROM pg_database WHERE datname = :'name'",
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(  # noqa: S603
                [*self.client("createdb"), database],
                check=True,
                capture_output=True,
            )


def production_env(database_url, **extra):
    """The environment of a production-mode Casebook on loopback (plain HTTP, throwaway key)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.settings",  # static files collected under bench/.cache
        BENCH_STATIC_ROOT=str(CACHE / "static"),
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def manage(env, *command, quiet=True):
    subprocess.run(  # noqa: S603 (our own argv)
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=quiet,
    )


def prepare(env):
    """Migrate the database and collect the static files (both idempotent)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "-v", "0")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, log_path, workers=2, probe="/healthz"):
    """gunicorn with the repository's gunicorn.conf.py on a free loopback port; returns
    (process, base URL) once it answers `probe`."""
    port = free_port()
    log = open(log_path, "w")  # closed when the process ends
    env = {**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "casebook.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log_path}")
        if isinstance(status_of(base + probe, timeout=5)[0], int):  # any HTTP answer: it is up
            return process, base
        time.sleep(0.3)
    stop_process(process)
    raise RuntimeError(f"gunicorn did not answer {probe} within 60 s; see {log_path}")


def stop_process(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def status_of(url, timeout=10, headers=None):
    """The HTTP status of a GET (and its Retry-After), or the kind of failure ("refused", "timeout")."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http on loopback)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
            return response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, error.headers.get("Retry-After")
    except (urllib.error.URLError, ConnectionError):
        return "refused", None
    except TimeoutError:
        return "timeout", None
