"""Published pages (fangkong/published.py): a page the same for every visitor without a login
is answered from memory in front of Django; nothing else ever is."""

import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from fangkong.published import PublishedPages, seconds_published
from tests.workforce.test_public_page import COMMUNITY, on_duty_now


def environ(path, *, query="", cookie=None, method="GET"):
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


class Counting:
    """A WSGI application that counts its calls and answers what it is given."""

    def __init__(self, headers, status="200 OK"):
        self.calls, self.headers, self.status = 0, headers, status

    def __call__(self, env, start_response):
        self.calls += 1
        start_response(self.status, list(self.headers))
        return [f"answer {self.calls}".encode()]


def get(app, env):
    answer = {}
    body = b"".join(app(env, lambda status, headers, exc_info=None: answer.update(s=status)))
    return answer["s"], body.decode()


PUBLIC = [("Content-Type", "text/html"), ("Cache-Control", "public, max-age=30")]


def test_a_published_answer_is_given_again_without_the_application():
    inner = Counting(PUBLIC)
    app = PublishedPages(inner)
    assert get(app, environ("/duty/1/")) == ("200 OK", "answer 1")
    assert get(app, environ("/duty/1/", cookie="csrftoken=x")) == ("200 OK", "answer 1")
    assert inner.calls == 1
    # Each language is its own page.
    assert get(app, environ("/duty/1/", cookie="django_language=en"))[1] == "answer 2"


@pytest.mark.parametrize(
    "request_env",
    [
        environ("/duty/1/", query="next=/evil"),
        environ("/duty/1/", cookie="sessionid=abc"),
        environ("/duty/1/", cookie='odd"cookie=;; sessionid=abc'),
        environ("/duty/1/", method="POST"),
    ],
    ids=["query", "session", "odd-cookies-and-a-session", "post"],
)
def test_a_request_with_a_query_a_session_or_a_body_always_reaches_the_application(request_env):
    inner = Counting(PUBLIC)
    app = PublishedPages(inner)
    get(app, dict(request_env))
    get(app, dict(request_env))
    assert inner.calls == 2


@pytest.mark.parametrize(
    "headers, status",
    [
        ([("Cache-Control", "no-store, private")], "200 OK"),
        ([*PUBLIC, ("Set-Cookie", "csrftoken=x")], "200 OK"),
        (PUBLIC, "404 Not Found"),
        ([("Cache-Control", "public, max-age=zero")], "200 OK"),
    ],
    ids=["not-published", "sets-a-cookie", "not-found", "odd-max-age"],
)
def test_only_a_published_page_without_a_cookie_is_kept(headers, status):
    inner = Counting(headers, status)
    app = PublishedPages(inner)
    get(app, environ("/duty/1/"))
    get(app, environ("/duty/1/"))
    assert inner.calls == 2


def test_the_age_is_read_from_the_answer():
    assert seconds_published(PUBLIC) == 30
    assert seconds_published([("cache-control", "max-age=30")]) == 0


def test_the_duty_page_is_published_to_anonymous_visitors_only(world, client, as_user):
    on_duty_now(world)
    app = PublishedPages(WSGIHandler())
    url = f"/duty/{COMMUNITY}/"
    # As Django's test client does: the request must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        status, page = get(app, environ(url))
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    assert status.startswith("200") and "community-worker" not in page
    assert (url, "") in app.kept
    signed_in = as_user(world.users["community"])
    assert "no-store" in signed_in.get(url)["Cache-Control"]
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]
