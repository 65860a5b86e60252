"""How the web processes are served in production (``gunicorn -c config/gunicorn.conf.py
config.wsgi:application``); ``make bench-api`` serves the API the same way.

- ``gthread`` workers with ``GUNICORN_THREADS`` threads each (4): a thread waiting on the
  database lets another run, so the cores stay busy, and connections are kept alive
  (``keepalive``) instead of being closed after every answer as sync workers do: the app and
  the load balancer save a TCP handshake per request.
- ``WEB_CONCURRENCY`` processes (default: two per core), as the Django and gunicorn docs
  advise; each keeps one database connection per thread (``CONN_MAX_AGE``).
- Prepared statements on PostgreSQL (``DB_PREPARE_THRESHOLD``, 5 here unless set; see
  ``config/database.py``): a web process runs the same few queries over and over on tables
  whose size barely moves between two of them, so each is planned once per connection.
"""

import multiprocessing
import os

os.environ.setdefault("DB_PREPARE_THRESHOLD", "5")  # read by the workers' settings

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = 5
timeout = 60


def post_worker_init(worker):
    """Once a worker has loaded the project: its modules, settings and URL patterns (some
    hundred thousand objects that live as long as the process) move out of the garbage
    collector's sight (``gc.freeze``), and the youngest generation is collected every
    50,000 allocations rather than 700. A request makes tens of thousands of short-lived
    objects; with the defaults the collector ran dozens of times per request and went
    through the whole heap in its older passes."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
