"""The outbox of text messages to residents and the SMS backends (fangkong.notifications)."""

import base64
import datetime
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from fangkong.notifications import sms, texts
from fangkong.notifications.models import TextBatch, TextMessage
from fangkong.tasks import recover
from tests.notifications.helpers import DOWN, LOCMEM, kept_in_memory
from tests.world import every

GRID = "350502001001001"
State = TextMessage.State


@pytest.fixture(autouse=True)
def locmem(settings):
    yield from kept_in_memory(settings)


def queue(world, words, phone="13800001234", source_id=1, **kwargs):
    resident = world.residents[GRID]
    return texts.queue_batch(
        actor=world.users["community"],
        area=world.areas[GRID].parent,
        purpose="tests.note",
        subject="tests.subject:1",
        source_type="tests.thing",
        outgoing=[texts.Outgoing(resident.pk, phone, words, source_id)],
        **kwargs,
    )


def messages():
    return every(TextMessage).order_by("pk")


def test_a_text_is_queued_in_the_transaction_and_sent_once_it_commits(
    world, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        batch = queue(world, "明天上午九点投票")
        assert batch.queued == 1 and locmem == []
        assert messages().get().state == State.QUEUED
    assert [(t.to, t.body) for t in locmem] == [("13800001234", "明天上午九点投票")]
    sent = messages().get()
    assert sent.state == State.SENT and sent.attempts == 1 and sent.sent_at is not None
    assert sent.reference == "locmem-1" and sent.phone_tail == "1234"


def test_a_rolled_back_change_sends_nothing(world, locmem, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue(world, "不会发送")
        raise RuntimeError
    assert locmem == [] and not messages().exists()


def test_the_same_words_are_queued_once_and_new_words_once_more(
    world, locmem, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(world, "九点")
    with django_capture_on_commit_callbacks(execute=True):
        again = queue(world, "九点")
    assert (first.queued, again.queued, again.unchanged) == (1, 0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        changed = queue(world, "十点")
    assert changed.queued == 1
    assert [t.body for t in locmem] == ["九点", "十点"]
    assert messages().count() == 2


def test_a_failing_gateway_leaves_the_text_failed_until_it_is_tried_again(
    world, settings, locmem, django_capture_on_commit_callbacks
):
    settings.FANGKONG_SMS_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        queue(world, "九点投票")
    failed = messages().get()
    assert failed.state == State.FAILED and failed.attempts == 1
    assert "503" in failed.error and failed.next_attempt_at > timezone.now()
    # Not due yet: nothing sent, whatever the backend.
    settings.FANGKONG_SMS_BACKEND = LOCMEM
    assert texts.send_due(timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert texts.send_due(later) == 1
    assert texts.send_due(later) == 0
    assert [t.body for t in locmem] == ["九点投票"]
    assert messages().get().state == State.SENT and messages().get().error == ""


def test_attempts_stop_after_five_until_the_text_is_queued_again(
    world, settings, locmem, django_capture_on_commit_callbacks
):
    settings.FANGKONG_SMS_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        queue(world, "九点投票")
    far = timezone.now() + datetime.timedelta(days=1)
    for _attempt in range(6):
        texts.send_due(far)
    assert messages().get().attempts == texts.MOST_ATTEMPTS
    assert not texts.due(far).exists()
    # Sending the same words again on purpose queues the failed text again.
    settings.FANGKONG_SMS_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        again = queue(world, "九点投票")
    assert again.queued == 1 and again.unchanged == 0
    assert messages().get().state == State.SENT and len(locmem) == 1


def test_a_claimed_text_is_sent_by_one_sender_only(world, locmem):
    with transaction.atomic():
        queue(world, "九点投票")  # committed never: the sender below is the only one
    message = messages().get()
    claimed = texts._claim([message.pk])
    assert [m.pk for m in claimed] == [message.pk]
    assert texts.deliver([message.pk]) == (0, 0)
    assert locmem == []


def test_a_sender_that_stopped_leaves_texts_that_are_recovered_and_sent(world, locmem):
    queue(world, "九点投票")
    texts._claim([messages().get().pk])
    assert recover(timezone.now() + datetime.timedelta(hours=1))["text_messages"] == 1
    assert messages().get().state == State.FAILED
    assert texts.send_due(timezone.now() + datetime.timedelta(seconds=1)) == 1
    assert [t.body for t in locmem] == ["九点投票"]


def test_the_number_is_stored_encrypted(world):
    queue(world, "九点投票", phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {TextMessage._meta.db_table}")
        (stored,) = cursor.fetchone()
    assert "13912345678" not in stored and stored.startswith("fk1.")
    assert messages().get().phone == "13912345678"
    assert "13912345678" not in messages().get().key


def test_a_batch_larger_than_allowed_is_refused(world, monkeypatch):
    monkeypatch.setattr(texts, "MOST_PER_BATCH", 0)
    with pytest.raises(ValidationError):
        queue(world, "九点投票")
    assert not every(TextBatch).exists()


def test_the_command_sends_what_is_due(world, locmem):
    queue(world, "九点投票")  # its task never ran (no commit): the command sends it
    out = io.StringIO()
    call_command("send_texts", stdout=out)
    assert out.getvalue().strip() == "1 sent" and len(locmem) == 1


def test_the_console_backend_masks_the_number():
    stream = io.StringIO()
    sms.ConsoleBackend(stream).send(sms.Text("13812345678", "请于九点投票"))
    assert stream.getvalue() == "[SMS 138****5678] 请于九点投票\n"


def test_only_mobile_numbers_take_texts():
    assert sms.is_mobile("13812345678")
    assert not sms.is_mobile("059212345678") and not sms.is_mobile("") and not sms.is_mobile(None)


class Gateway(BaseHTTPRequestHandler):
    answers = []
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Gateway.received.append((dict(self.headers), json.loads(body)))
        status, answer = Gateway.answers.pop(0)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(answer).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    """A gateway on 127.0.0.1 (never a real one in tests)."""
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Gateway.answers, Gateway.received = [], []
    yield f"http://127.0.0.1:{server.server_port}/send"
    server.shutdown()
    server.server_close()


def test_the_http_gateway_posts_the_template_and_reads_the_answer(gateway):
    backend = sms.HttpGatewayBackend(
        {
            "URL": gateway,
            "USERNAME": "committee",
            "PASSWORD": "s3cret",
            "SIGNATURE": "【新华社区】",
            "BODY": {"mobile": "{to}", "content": "{text}", "outId": "{reference}", "type": 1},
            "SUCCESS": {"code": "0"},
            "ID_FIELD": "msgid",
            "TIMEOUT": 5,
        }
    )
    Gateway.answers = [(200, {"code": 0, "msgid": "G-77"}), (200, {"code": 17, "msg": "余额不足"})]
    assert backend.send(sms.Text("13812345678", "请于九点投票", "fk-9")) == "G-77"
    headers, body = Gateway.received[0]
    assert body == {
        "mobile": "13812345678",
        "content": "【新华社区】请于九点投票",
        "outId": "fk-9",
        "type": 1,
    }
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"committee:s3cret").decode()
    with pytest.raises(sms.TextNotSent, match="余额不足"):
        backend.send(sms.Text("13812345678", "请于九点投票"))


def test_an_http_error_or_no_gateway_is_a_text_not_sent(gateway):
    Gateway.answers = [(500, {"error": "busy"})]
    with pytest.raises(sms.TextNotSent, match="HTTP 500"):
        sms.HttpGatewayBackend({"URL": gateway, "TOKEN": "t"}).send(sms.Text("13812345678", "x"))
    closed = "http://127.0.0.1:9/send"  # the discard port: nothing listens
    with pytest.raises(sms.TextNotSent, match="unreachable"):
        sms.HttpGatewayBackend({"URL": closed, "TIMEOUT": 2}).send(sms.Text("13812345678", "x"))
