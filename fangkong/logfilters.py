"""Logging filters: what the product's own log lines never carry."""

import logging
import re

# A path followed by its query string, as in a request line ("GET /residents/?q=… HTTP/1.1")
# or a URL; the query may hold a name, and a URL from before this release a whole ID number.
_QUERY = re.compile(r"(?P<path>/[^\s?\"'#]*)\?[^\s\"'#]*")


class NoQueryStrings(logging.Filter):
    """Drops the query string of every URL in a record's message (runserver's request lines
    of `django.server` included), keeping the path: the access log of production says the
    same (deploy/gunicorn.conf.py)."""

    def filter(self, record):
        message = record.getMessage()
        if "?" in message:
            record.msg = _QUERY.sub(r"\g<path>", message)
            record.args = ()
        return True
