"""Writes of public notices, one transaction each (docs/notices.md).

A notice is created with its first draft; `save_draft` writes the draft (or starts the next
one after a publication); `publish` makes a draft the authoritative text from a moment (now,
or a set time within SCHEDULE_DAYS); `withdraw` takes a notice off the public page. Published
versions never change. A retried request changes nothing more: a client UUID names the notice
or draft it made, a publication names the version it publishes, a withdrawal is done once."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.notices import selectors
from fangkong.notices.models import BODY_LENGTH, TITLE_LENGTH, Notice, NoticeVersion
from fangkong.notices.permissions import WRITE
from fangkong.scope import system_scope

LEVELS = (Level.COMMUNITY, Level.TOWNSHIP)
SCHEDULE_DAYS = 30
# A publication time typed as "now" on a phone whose clock runs a little behind.
CLOCK_SKEW = datetime.timedelta(minutes=10)


def refused():
    return PermissionDenied(_("You may not do this here."))


def _text(title, body):
    title, body = (title or "").strip(), (body or "").strip().replace("\r\n", "\n")
    if not title:
        raise ValidationError({"title": _("Give the notice a title.")})
    if len(title) > TITLE_LENGTH:
        raise ValidationError(
            {"title": _("A title has at most %(n)d characters.") % {"n": TITLE_LENGTH}}
        )
    if not body:
        raise ValidationError({"body": _("Write the text of the notice.")})
    if len(body) > BODY_LENGTH:
        raise ValidationError(
            {"body": _("A notice has at most %(n)d characters.") % {"n": BODY_LENGTH}}
        )
    return title, body


def _retried(model, client_uuid, **same):
    with system_scope():  # the record the same request made, whoever looks for it
        made = model.objects.filter(client_uuid=client_uuid).first()
    if made is None:
        return None
    if any(getattr(made, name) != value for name, value in same.items()):
        raise ValidationError(
            {"client_uuid": _("This request id was already used for another record.")}
        )
    made.created = False
    return made


def _once(model, client_uuid, same, write):
    """`write()` in one transaction, or what the same request made before (or at once)."""
    if client_uuid and (made := _retried(model, client_uuid, **same)):
        return made
    try:
        with transaction.atomic():
            made = write()
    except IntegrityError:
        if client_uuid and (made := _retried(model, client_uuid, **same)):
            return made
        raise
    made.created = True
    return made


def create_notice(*, actor, area, kind, title, body, client_uuid=None):
    """A new notice of a community or township, as a draft (published by `publish`)."""

    def write():
        if area.level not in LEVELS:
            raise ValidationError(_("Notices are published by a community or a township."))
        if not actor.has_perm(WRITE, area):
            raise refused()
        if kind not in Notice.Kind.values:
            raise ValidationError({"kind": _("Choose the kind of notice.")})
        clean_title, clean_body = _text(title, body)
        notice = Notice(
            area=area, kind=kind, title=clean_title, client_uuid=client_uuid, created_by=actor
        )
        notice.save()
        NoticeVersion(
            notice=notice, area=area, number=1, title=clean_title, body=clean_body, written_by=actor
        ).save()
        record(actor=actor, action="notices.create", target=notice, area=area, title=clean_title)
        return notice

    return _once(Notice, client_uuid, {"area_id": area.pk}, write)


def _check_writer(actor, notice):
    if not actor.has_perm(WRITE, notice):
        raise refused()
    if notice.withdrawn_at:
        raise ValidationError(_("This notice was withdrawn."))


def save_draft(*, actor, notice, title, body, change_note="", client_uuid=None):
    """Write the notice's draft: the one being written, else the next version after the
    published ones (starting from nothing the residents see until it is published)."""

    def write():
        _check_writer(actor, notice)
        clean_title, clean_body = _text(title, body)
        note = (change_note or "").strip()[:200]
        with system_scope():  # the notice's own versions, which the actor may write
            Notice.objects.select_for_update().filter(pk=notice.pk).first()
            draft = notice.versions.filter(published_at__isnull=True).first()
            if draft is None:
                number = notice.versions.aggregate(n=Max("number"))["n"] or 0
                draft = NoticeVersion(
                    notice=notice, area=notice.area, number=number + 1, client_uuid=client_uuid
                )
            draft.title, draft.body, draft.change_note = clean_title, clean_body, note
            draft.written_by = actor
            draft.save()
            Notice.objects.filter(pk=notice.pk).update(title=clean_title)
        notice.title = clean_title
        record(
            actor=actor,
            action="notices.draft",
            target=notice,
            area=notice.area,
            version=draft.number,
            title=clean_title,
        )
        return draft

    return _once(NoticeVersion, client_uuid, {"notice_id": notice.pk}, write)


def check_publish_at(publish_at, now):
    if publish_at is None:
        return now
    if publish_at < now - CLOCK_SKEW:
        raise ValidationError({"publish_at": _("A notice cannot be published in the past.")})
    if publish_at > now + datetime.timedelta(days=SCHEDULE_DAYS):
        raise ValidationError(
            {
                "publish_at": _("Publish within %(n)d days from now, or leave it empty for now.")
                % {"n": SCHEDULE_DAYS}
            }
        )
    return max(publish_at, now)


@transaction.atomic
def publish(*, actor, notice, version, publish_at=None):
    """Publish version `version` (the draft) from `publish_at` (now if empty): from then on it
    is the notice's authoritative text. Publishing a version already published changes
    nothing (a retried request)."""
    _check_writer(actor, notice)
    with system_scope():  # the notice's own versions, which the actor may publish
        Notice.objects.select_for_update().filter(pk=notice.pk).first()
        draft = notice.versions.filter(number=version).first()
        if draft is None:
            raise ValidationError({"version": _("This notice has no such version.")})
        if draft.published_at is not None:
            draft.created = False
            return draft
        when = check_publish_at(publish_at, timezone.now())
        draft.published_at, draft.published_by = when, actor
        draft.save(update_fields=["published_at", "published_by"])
        Notice.objects.filter(pk=notice.pk).update(published_at=when)
    notice.published_at = when
    record(
        actor=actor,
        action="notices.publish",
        target=notice,
        area=notice.area,
        version=draft.number,
        published_at=when.isoformat(),
    )
    transaction.on_commit(lambda: selectors.forget(notice.area))
    draft.created = True
    return draft


@transaction.atomic
def withdraw(*, actor, notice, reason):
    """Take the notice off the public page and its feed (kept, with its versions, for the
    record). Withdrawing it again changes nothing."""
    if not actor.has_perm(WRITE, notice):
        raise refused()
    if notice.withdrawn_at:
        return notice
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the notice is withdrawn.")})
    notice.withdrawn_at = timezone.now()
    with system_scope():
        Notice.objects.filter(pk=notice.pk).update(withdrawn_at=notice.withdrawn_at)
    record(
        actor=actor,
        action="notices.withdraw",
        target=notice,
        area=notice.area,
        reason=reason[:200],
    )
    transaction.on_commit(lambda: selectors.forget(notice.area))
    return notice
