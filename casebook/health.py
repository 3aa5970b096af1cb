"""Health endpoints for a load balancer or an orchestrator.

`/healthz`: the process answers (touches nothing else). `/readyz`: it can serve, i.e. every
check in READINESS_CHECKS passes (the database answers, every migration is applied, …).
Both answer JSON, 200 or 503 (with Retry-After), never cached.

They are answered by a middleware near the top of the stack, before the host check, the HTTPS
redirect, sessions and the page cache: a probe often comes over plain HTTP with the server's
address as its Host, and must not touch the session table. They are outside /api/, so the API's
rate limit never counts them.
"""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

from .errors import RETRY_AFTER_SECONDS


class CheckFailed(Exception):
    """A readiness check's failure, with a message safe to show to whoever asks."""


def database():
    """The database accepts a connection and answers a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


_migrations_applied = False


def migrations():
    """Every migration in the code is applied to the database.

    Reading the migration files takes a while, so once they are all applied the answer is
    remembered for the life of the process (a deploy migrates before it starts new processes).
    """
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} migration(s) not applied")
    _migrations_applied = True


def mail_worker():
    """A worker is running the queued tasks (mail): outbox.worker.worker_status()."""
    from outbox.worker import worker_status  # the outbox app reads the task tables

    ok, detail = worker_status()
    if not ok:
        raise CheckFailed(detail)


# The checks /readyz runs, in order; each raises to fail.
READINESS_CHECKS = [database, migrations, mail_worker]


def run_checks(checks):
    """{name: {"ok": bool, "detail"?: str}} for each check."""
    results = {}
    for check in checks:
        try:
            check()
        except CheckFailed as failure:
            results[check.__name__] = {"ok": False, "detail": str(failure)}
        except Exception as exc:  # any failure makes the site not ready
            # The class only: an error message may name hosts, users or paths.
            results[check.__name__] = {"ok": False, "detail": type(exc).__name__}
        else:
            results[check.__name__] = {"ok": True}
    return results


def answer(ok, body):
    response = JsonResponse({"status": "ok" if ok else "unavailable", **body}, status=200 if ok else 503)
    response["Cache-Control"] = "no-store"
    if not ok:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def healthz(request):
    return answer(True, {})


def readyz(request):
    results = run_checks(READINESS_CHECKS)
    return answer(all(result["ok"] for result in results.values()), {"checks": results})


ENDPOINTS = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """Answers GET and HEAD of /healthz and /readyz before anything else looks at the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is not None and request.method in ("GET", "HEAD"):
            return endpoint(request)
        return self.get_response(request)
