"""gunicorn for production (`make serve`); every value can be set from the environment.

Sync workers: pages are CPU work between short database queries, and a
worker killed mid-request takes only its own request with it (transactions
leave no partial writes). Two workers per core hide the waits on PostgreSQL.
"""

import multiprocessing
import os

bind = os.getenv("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.getenv("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count())))
worker_class = "sync"
# A request that takes longer is killed and logged (a PDF renders in ~1 s).
timeout = int(os.getenv("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Renew workers now and then, staggered, as a guard against slow leaks.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The proxy in front may tell the client's address and scheme.
forwarded_allow_ips = os.getenv("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# No client address, referrer or query string, and no secret of a link (portal/access_log.py).
logger_class = "portal.access_log.AccessLogger"
access_log_format = os.getenv("GUNICORN_ACCESS_LOG_FORMAT", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms')
errorlog = "-"
