"""gunicorn settings for machi's web process.

Run from the project directory (/opt/machi):

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py machi.config.wsgi

which is the same as ``gunicorn machi.config.wsgi -w 4 -b 127.0.0.1:8000`` plus the
settings below. Environment variables come from /etc/machi/env (see deploy/env.example).
"""

# Loopback only: nginx is the only client. Django trusts X-Forwarded-Proto from whoever
# connects, so gunicorn must never be reachable from the network directly.
bind = "127.0.0.1:8000"

# Sync workers. Start near 2 x CPU cores + 1 and watch memory; each worker holds its own
# database connection (DATABASE_CONN_MAX_AGE), so workers x hosts must stay below
# PostgreSQL's max_connections (or put PgBouncer in front).
workers = 4
worker_class = "sync"

# Load the app once in the master: machi.config.wsgi runs machi's system checks at
# import (machi.E001, machi.E002), so bad settings stop the master before any worker
# forks. With preload, new code needs `systemctl restart`, not a reload.
preload_app = True

# A request that runs longer than this is killed; long work belongs in Celery.
timeout = 30
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then to bound slow memory growth.
max_requests = 1000
max_requests_jitter = 100

# Logs to stdout/stderr, collected by journald.
accesslog = "-"
errorlog = "-"
loglevel = "info"

# Accept X-Forwarded-* only from the local nginx.
forwarded_allow_ips = "127.0.0.1,::1"

proc_name = "machi-web"


def post_worker_init(worker: object) -> None:
    """Load the PDF fonts and the assistant's sentence encoders in each worker before its
    first request (the first PDF copy of a worker otherwise takes a few hundred ms longer,
    the first question about a second). After the fork, not in the master: Pango and
    OpenMP start threads that a forked child would lack."""
    from machi.assistant import encoders
    from machi.core import pdf

    pdf.warm_up()
    encoders.warm_up()
