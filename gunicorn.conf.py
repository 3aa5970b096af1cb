"""gunicorn's configuration for Casebook (read from the working directory: run gunicorn from
the repository, `gunicorn casebook.wsgi`). Every value can be overridden by an environment
variable named here or by a command-line flag. See README, "Deployment".
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: each request holds one worker; the work is database-bound and short. The
# usual 2 * cores + 1 keeps the CPUs busy while some workers wait on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A worker silent this long is killed and replaced: a stuck request, not a slow page (the
# slowest, a CSV export of the whole catalogue, takes a few seconds).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGHUP (reload) or SIGTERM (stop), workers finish the requests they hold for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# The sync workers close each connection after its answer, so this applies only if another
# worker class is chosen (`-k gthread`); the proxy in front keeps the clients' connections
# open. Threaded workers (gthread, 4 threads) were measured against these and were not faster
# (bench/README.md, "Sync or threaded workers").
keepalive = 5

# Each worker is replaced after about this many requests, so slow memory growth never
# accumulates; the jitter keeps the workers from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# No access log: the application writes one JSON line per request with its request id
# (logger "casebook.request"), which also covers the errors; gunicorn's own messages and
# the application's log go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Accept X-Forwarded-* from the proxy on the same machine only (gunicorn's default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
