"""The outbox of text messages to residents: queued once, sent after the commit, tried again.

    queue_batch ──commit──▶ send_texts (task) ──▶ sent
         │                        ╰──────────────▶ failed ──send_due (every few minutes)──▶ …
         ╰─ same words to the same number for the same record: not queued again

A service that sends texts calls `queue_batch` inside its own transaction: the batch and its
messages are written in bulk (one INSERT run a thousand rows at a time) and nothing
is sent unless that transaction commits; then one background task (django-tasks: the
database worker, or at once where tasks run immediately) hands the batch's messages to the
SMS backend (`fangkong.notifications.sms`). A message that fails is tried again by
`send_due` — `manage.py send_reminders` runs it with the reminders, `manage.py send_texts`
on its own — after 1, 5, 15 and 60 minutes, five attempts in all; after that it stays
failed until it is sent again on purpose (queueing the same words re-queues it).

A message is claimed before it is sent (one UPDATE marks it `sending` with a token of the
sender), so two senders never send the same message. A sender that stopped while holding
messages leaves them `sending`; `recover` (run by `manage.py recover_jobs`) turns those back
to failed to be tried again — whether the gateway took them is not known, so each carries
our id (`reference`) for a gateway that de-duplicates.
"""

import datetime
import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from fangkong.notifications import sms
from fangkong.notifications.models import TextBatch, TextMessage
from fangkong.pii import bulk_encryptor
from fangkong.scope import system_scope

log = logging.getLogger(__name__)
State = TextMessage.State
MOST_ATTEMPTS = 5
RETRY_AFTER_MINUTES = (1, 5, 15, 60)
# The most texts one request queues: a community's whole roll is far below it; a mistake
# that would text a county is refused before it costs anything.
MOST_PER_BATCH = 50_000
CLAIM_CHUNK = 100
BULK_SIZE = 1000


@dataclass(frozen=True)
class Outgoing:
    """One text to queue: to whom (the resident and the number), the words, and the record
    it is about (`source_id`, of the batch's `source_type`)."""

    resident_id: int
    phone: str
    text: str
    source_id: int


def key_of(purpose, source_type, source_id, phone, text):
    """The message's identity: a keyed digest (the number must not be guessable from it)."""
    payload = f"{purpose}\x1f{source_type}\x1f{source_id}\x1f{phone}\x1f{text}".encode()
    return hmac.new(settings.FIELD_HMAC_KEY.encode(), payload, hashlib.sha256).hexdigest()


def existing_states(keys):
    """{key: (id, state)} of the messages already queued under `keys`."""
    found = {}
    keys = list(keys)
    with system_scope():
        for start in range(0, len(keys), 500):
            rows = TextMessage.objects.filter(key__in=keys[start : start + 500])
            found.update(
                {key: (pk, state) for pk, key, state in rows.values_list("pk", "key", "state")}
            )
    return found


def plan(*, purpose, source_type, outgoing):
    """What queueing `outgoing` would do, without writing: (new keyed messages, ids of failed
    messages to queue again, how many are already queued or sent with these words)."""
    keyed = {}
    for item in outgoing:
        key = key_of(purpose, source_type, item.source_id, item.phone, item.text)
        keyed.setdefault(key, item)
    before = existing_states(keyed)
    new = {key: item for key, item in keyed.items() if key not in before}
    again = [pk for pk, state in before.values() if state == State.FAILED]
    unchanged = len(before) - len(again)
    return new, again, unchanged


def queue_batch(
    *,
    actor,
    area,
    purpose,
    subject,
    source_type,
    outgoing,
    print_instead=(),
    client_uuid=None,
    detail=None,
):
    """Queue a batch of texts in the caller's transaction, to be sent once it commits.

    Texts already queued or sent with the same words to the same number for the same record
    are not queued again (`unchanged`); one that failed is queued again. `print_instead`: the
    records whose resident has no mobile number. Returns the `TextBatch`."""
    outgoing = list(outgoing)
    if len(outgoing) > MOST_PER_BATCH:
        raise ValidationError(
            _("%(n)d texts at once are more than the %(most)d allowed: send them in parts.")
            % {"n": len(outgoing), "most": MOST_PER_BATCH}
        )
    new, again, unchanged = plan(purpose=purpose, source_type=source_type, outgoing=outgoing)
    now = timezone.now()
    batch = TextBatch(
        area=area,
        purpose=purpose,
        subject=subject,
        client_uuid=client_uuid,
        queued=len(new) + len(again),
        unchanged=unchanged,
        without_phone=len(print_instead),
        print_instead=list(print_instead),
        detail=detail or {},
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    batch.save()
    _insert(batch, area, purpose, source_type, new, now)
    if again:
        with system_scope():  # the failed messages of the records the caller chose
            for start in range(0, len(again), 500):
                TextMessage.objects.filter(
                    pk__in=again[start : start + 500], state=State.FAILED
                ).update(state=State.QUEUED, batch=batch, attempts=0, error="", next_attempt_at=now)
    if batch.queued:
        transaction.on_commit(lambda: send_texts.enqueue(batch.pk))
    return batch


# The columns `_insert` writes; the others keep their defaults (NULL).
INSERTED = (
    "area",
    "area_path",
    "batch",
    "resident",
    "phone",
    "phone_tail",
    "text",
    "purpose",
    "source_type",
    "source_id",
    "key",
    "state",
    "attempts",
    "error",
    "reference",
    "created_at",
    "next_attempt_at",
)


def _insert(batch, area, purpose, source_type, new, now):
    """Write the new messages a thousand rows a statement (executemany of one INSERT), the
    numbers encrypted as the field stores them: the ORM's bulk_create spent four fifths of
    the time of queueing a roll of 20,000 preparing each row's twenty values."""
    encrypt, quote = bulk_encryptor(), connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value(now)
    columns = ", ".join(quote(TextMessage._meta.get_field(name).column) for name in INSERTED)
    statement = (
        f"INSERT INTO {quote(TextMessage._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(INSERTED))})"
    )
    rows = [
        (
            area.pk,
            area.path,
            batch.pk,
            item.resident_id,
            encrypt(item.phone),
            item.phone[-4:],
            item.text,
            purpose,
            source_type,
            item.source_id,
            key,
            State.QUEUED,
            0,
            "",
            "",
            stamp,
            stamp,
        )
        for key, item in new.items()
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BULK_SIZE):
            cursor.executemany(statement, rows[start : start + BULK_SIZE])


def retry_after(attempts):
    minutes = RETRY_AFTER_MINUTES[min(attempts, len(RETRY_AFTER_MINUTES)) - 1]
    return datetime.timedelta(minutes=minutes)


def _claim(ids):
    """The messages among `ids` still waiting, marked `sending` for this sender only."""
    token = uuid.uuid4()
    with system_scope():
        TextMessage.objects.filter(pk__in=ids, state__in=[State.QUEUED, State.FAILED]).update(
            state=State.SENDING,
            claim=token,
            attempts=F("attempts") + 1,
            last_attempt_at=timezone.now(),
        )
        return list(TextMessage.objects.filter(pk__in=ids, claim=token).order_by("pk"))


def _settle(message, **changes):
    with system_scope():
        TextMessage.objects.filter(pk=message.pk, claim=message.claim).update(claim=None, **changes)


def deliver(ids, carrier=None):
    """Hand the messages `ids` that are still waiting to the backend, one by one; each one's
    outcome is written as soon as it is known. Returns (sent, failed)."""
    carrier = carrier or sms.backend()
    sent = failed = 0
    ids = list(ids)
    for start in range(0, len(ids), CLAIM_CHUNK):
        for message in _claim(ids[start : start + CLAIM_CHUNK]):
            text = sms.Text(to=message.phone, body=message.text, reference=f"fk-{message.pk}")
            try:
                reference = carrier.send(text)
            except Exception as error:  # a gateway down must not stop the other texts
                if not isinstance(error, sms.TextNotSent):
                    log.exception("SMS backend failed on text %s", message.pk)
                failed += 1
                _settle(
                    message,
                    state=State.FAILED,
                    error=str(error)[:300] or type(error).__name__,
                    next_attempt_at=timezone.now() + retry_after(message.attempts),
                )
            else:
                sent += 1
                _settle(
                    message,
                    state=State.SENT,
                    sent_at=timezone.now(),
                    reference=str(reference or "")[:100],
                    error="",
                )
    return sent, failed


@task()
def send_texts(batch_id):
    """Send the messages of one batch still waiting (queued after its request committed)."""
    with system_scope():
        ids = list(
            TextMessage.objects.filter(batch_id=batch_id, state=State.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    return deliver(ids)


def due(now):
    """The messages to send at `now`: queued ones whose task did not send them, and failed
    ones whose next attempt has come, within their attempts."""
    with system_scope():
        return TextMessage.objects.filter(
            Q(state=State.QUEUED) | Q(state=State.FAILED, attempts__lt=MOST_ATTEMPTS),
            next_attempt_at__lte=now,
        )


def send_due(now):
    """Send what is due (a function of `FANGKONG_REMINDERS`): returns how many went out."""
    ids = list(due(now).order_by("pk").values_list("pk", flat=True))
    return deliver(ids)[0] if ids else 0


def recover(before):
    """Messages a sender claimed before `before` and never settled (it stopped) are failed,
    to be tried again at once. Returns how many."""
    with system_scope():
        return TextMessage.objects.filter(state=State.SENDING, last_attempt_at__lt=before).update(
            state=State.FAILED,
            claim=None,
            error=_("The sender stopped while sending: tried again."),
            next_attempt_at=timezone.now(),
        )


def latest_state(purpose, source_type, source_ref=None):
    """The state of the latest message of `purpose` about the outer record, as a subquery
    (for records the caller already scoped)."""
    with system_scope():
        rows = TextMessage.objects.filter(
            purpose=purpose,
            source_type=source_type,
            source_id=source_ref if source_ref is not None else OuterRef("pk"),
        ).order_by("-pk")
        return Subquery(rows.values("state")[:1])
