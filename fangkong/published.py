"""Published pages: answers that are the same for every visitor without a login (a
community's public duty page, its notice board and feeds), kept in each server process for
a few seconds and answered there before Django runs.

A village's notice board is opened by hundreds of phones within a minute of a poster going
up; two cores running Django for each of them answer at a few hundred a second. A view that
may be kept says so with `publish(response, seconds)` (`Cache-Control: public`, which a
proxy in front honours as well, docs/deployment.md); `PublishedPages` wraps the WSGI
application (fangkong/wsgi.py) and answers the same request from memory until then. Only a
request with no query string and no session is answered or kept; an answer that sets a
cookie is never kept. Every other answer stays `no-store` (fangkong/middleware.py)."""

import time

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils.cache import patch_cache_control


def publish(response, seconds):
    """Mark `response` as the same for every visitor without a login for `seconds`."""
    patch_cache_control(response, public=True, max_age=seconds)
    return response


def is_published(response):
    return "public" in response.get("Cache-Control", "")


def seconds_published(headers):
    """How long an answer with these WSGI headers may be kept: 0 if not at all."""
    control = ""
    for name, value in headers:
        name = name.lower()
        if name == "set-cookie":
            return 0
        if name == "cache-control":
            control = value
    parts = {part.strip() for part in control.split(",")}
    if "public" not in parts:
        return 0
    for part in parts:
        if part.startswith("max-age="):
            try:
                return max(0, int(part[len("max-age=") :]))
            except ValueError:
                return 0
    return 0


class PublishedPages:
    """The WSGI application, with published answers kept per path and chosen language."""

    def __init__(self, application, max_entries=2000):
        self.application = application
        self.max_entries = max_entries
        self.kept = {}

    def key(self, environ):
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        # Read as Django reads them, so that a request Django sees signed in is never answered.
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if settings.SESSION_COOKIE_NAME in cookies:
            return None
        return (environ.get("PATH_INFO", ""), cookies.get(settings.LANGUAGE_COOKIE_NAME, ""))

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is None:
            return self.application(environ, start_response)
        kept = self.kept.get(key)
        if kept is not None and kept[0] > time.monotonic():
            start_response(kept[1], list(kept[2]))
            return [kept[3]]
        answer = {}

        def remember(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = self.application(environ, remember)
        seconds = seconds_published(answer.get("headers", ()))
        if not seconds or not answer["status"].startswith("200"):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()  # Django's request_finished: connections closed, as after any answer
        if len(self.kept) >= self.max_entries:
            self.kept.clear()  # unknown paths are 404s, never kept: this is a busy day's pages
        self.kept[key] = (time.monotonic() + seconds, answer["status"], answer["headers"], content)
        return [content]
