"""gunicorn's settings in production: `gunicorn -c deploy/gunicorn.conf.py fangkong.wsgi`.

The access log names the path of each request, never its query string nor its Referer
(which is the previous page's whole URL): a list's filter may hold a name, and a URL from
before this release a whole ID number or phone (docs/deployment.md, "Logs"). Settings given
on the command line (`--bind`, `--workers`, `--access-logfile`) override these.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# "-" is standard output, which systemd's journal takes.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
# %(U)s is the path without the query string; %(r)s (the request line) and %(q)s (the query)
# would log it, %(f)s (the Referer) the previous page's query.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
# No control socket: nothing here uses it, and its one default path per user makes a second
# gunicorn on the machine (`make run` beside a benchmark or a test's server) take it over.
control_socket_disable = True


def post_worker_init(worker):
    """Import every view and compile the URL patterns and the page layout before the worker
    takes its first request: otherwise each worker's first visitor waits 1-3 s for them."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018  (imports every URLconf and view, builds the index)
    for name in ("base.html", "registration/login.html", "404.html"):
        get_template(name)
    # What is loaded now stays: out of the garbage collector's full passes, which otherwise
    # walk the whole process every so often and add 40–190 ms to the request they fall in
    # (bench/RESULTS.md, 2026-12-07).
    gc.collect()
    gc.freeze()
