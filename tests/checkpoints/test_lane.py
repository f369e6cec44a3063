"""The gate's lane (fangkong/checkpoints/lane.py): a device's recorded passage is answered
before Django, with Django's own answer; everything else is Django's to answer, as before."""

import io
import json
import uuid

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from fangkong.checkpoints.lane import PassageLane
from fangkong.checkpoints.models import Passage
from fangkong.tokens.services import issue_token
from tests.checkpoints.helpers import GRID, fresh, gate
from tests.world import every

pytestmark = pytest.mark.django_db


class Django(WSGIHandler):
    """Django's handler, counting the requests it answers."""

    calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return super().__call__(environ, start_response)


@pytest.fixture
def lane():
    # As Django's test client does: a request must not close the test's connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield PassageLane(Django())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def post(app, body, *, token=None, cookie=None, host="testserver", path="/api/passages/"):
    content = json.dumps(body).encode() if not isinstance(body, bytes) else body
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(content)),
        "wsgi.input": io.BytesIO(content),
        "wsgi.url_scheme": "http",
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=headers)

    body = b"".join(app(environ, start_response))
    try:
        return answer["status"], dict(answer["headers"]), json.loads(body)
    except ValueError:  # Django's 400 for a host it does not serve is a page
        return answer["status"], dict(answer["headers"]), body.decode()


@pytest.fixture
def device(world):
    checkpoint = gate(fresh(world))
    token = issue_token(user=world.users["checkpoint"]).key

    def body(**data):
        return {
            "client_uuid": str(uuid.uuid4()),
            "checkpoint": checkpoint.pk,
            "direction": "in",
            "temperature": "36.5",
            "resident": world.residents[GRID].pk,
            **data,
        }

    return token, body


def test_a_recorded_passage_is_answered_by_the_lane_as_django_answers_it(lane, device):
    token, body = device
    status, headers, first = post(lane, body(), token=token)
    assert status == "201 Created" and lane.application.calls == 1  # Django, learned once
    again = body()
    status, lane_headers, answer = post(lane, again, token=token)
    assert status == "201 Created" and lane.application.calls == 1
    assert answer.keys() == first.keys() and answer["client_uuid"] == again["client_uuid"]
    assert {k: v for k, v in lane_headers.items() if k != "Content-Length"} == {
        k: v for k, v in headers.items() if k != "Content-Length"
    }
    assert "no-store" in lane_headers["Cache-Control"]
    assert "Content-Security-Policy" in lane_headers
    # Sent again, it is the same passage: 200, still recorded once.
    status, _headers, same = post(lane, again, token=token)
    assert status == "200 OK" and same["id"] == answer["id"]
    assert every(Passage).count() == 2 and lane.application.calls == 1


def test_a_fever_raises_its_alert_through_the_lane(lane, device):
    token, body = device
    post(lane, body(), token=token)
    status, _headers, answer = post(lane, body(temperature="38.2"), token=token)
    assert status == "201 Created" and answer["alert"]["reasons"] == ["fever"]
    assert lane.application.calls == 1


@pytest.mark.parametrize(
    "change, code",
    [
        ({"temperature": "45.0"}, "400"),  # outside 34–43 ℃: Django's Chinese 400
        ({"checkpoint": 10**9}, "400"),
        ({"direction": "sideways"}, "400"),
    ],
)
def test_bad_input_is_answered_by_django_and_changes_nothing(lane, device, change, code):
    token, body = device
    post(lane, body(), token=token)
    status, _headers, answer = post(lane, body(**change), token=token)
    assert status.startswith(code) and lane.application.calls == 2
    assert any("\u4e00" <= ch <= "\u9fff" for ch in json.dumps(answer, ensure_ascii=False))
    assert every(Passage).count() == 1


def test_a_refused_token_a_role_without_the_permission_and_a_cookie_go_to_django(
    lane, device, world
):
    token, body = device
    post(lane, body(), token=token)
    status, _headers, _answer = post(lane, body(), token="not-a-token")
    assert status.startswith("401") and lane.application.calls == 2
    volunteer = issue_token(user=world.users["volunteer_grid"]).key
    status, _headers, _answer = post(lane, body(), token=volunteer)
    assert status.startswith("403") and lane.application.calls == 3
    # Signed in through a page (the checkpoint page's own queue): Django's session and CSRF.
    status, _headers, _answer = post(lane, body(), token=token, cookie="sessionid=x")
    assert status.startswith("201") and lane.application.calls == 4
    # Broken JSON and JSON's NaN (which DRF refuses) are Django's as well.
    status, _headers, _answer = post(lane, b"{", token=token)
    assert status.startswith("400") and lane.application.calls == 5
    nan = json.dumps(body()).replace('"36.5"', "NaN").encode()
    status, _headers, _answer = post(lane, nan, token=token)
    assert status.startswith("400") and lane.application.calls == 6
    # A host the site does not serve is refused by Django, as for any request.
    status, _headers, _answer = post(lane, body(), token=token, host="evil.example")
    assert status.startswith("400") and lane.application.calls == 7
    assert every(Passage).count() == 2
