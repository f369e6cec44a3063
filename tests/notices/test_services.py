import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.notices import services
from fangkong.notices.models import Notice, NoticeVersion
from tests.notices.helpers import COMMUNITY, GRID, OTHER_COMMUNITY, TOWNSHIP, published_notice
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_notice_is_written_published_revised_and_every_version_kept(world):
    actor = world.users["community"]
    notice = published_notice(world, title="第一稿")
    draft = services.save_draft(
        actor=actor, notice=notice, title="第二稿", body="新正文", change_note="改了时间"
    )
    assert draft.number == 2 and draft.published_at is None
    # The draft is written again, not a third version.
    again = services.save_draft(actor=actor, notice=notice, title="第二稿!", body="新正文")
    assert again.pk == draft.pk
    services.publish(actor=actor, notice=notice, version=2)
    versions = every(NoticeVersion).filter(notice=notice).order_by("number")
    assert [(v.number, v.title, v.published_at is not None) for v in versions] == [
        (1, "第一稿", True),
        (2, "第二稿!", True),
    ]
    notice.refresh_from_db()
    assert notice.title == "第二稿!" and notice.published_at == versions[1].published_at
    assert list(
        every(AuditEvent)
        .filter(target_type="notice", target_id=notice.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["notices.create", "notices.publish", "notices.draft", "notices.draft", "notices.publish"]


def test_retries_never_duplicate(world):
    actor, key = world.users["community"], uuid.uuid4()
    arguments = {"area": world.areas[COMMUNITY], "kind": "rule", "title": "通告", "body": "正文"}
    first = services.create_notice(actor=actor, client_uuid=key, **arguments)
    second = services.create_notice(actor=actor, client_uuid=key, **arguments)
    assert first.pk == second.pk and first.created and not second.created
    services.publish(actor=actor, notice=first, version=1)
    again = services.publish(actor=actor, notice=first, version=1)
    assert not again.created
    draft_key = uuid.uuid4()
    draft = services.save_draft(
        actor=actor, notice=first, title="二", body="二", client_uuid=draft_key
    )
    retried = services.save_draft(
        actor=actor, notice=first, title="二", body="二", client_uuid=draft_key
    )
    assert draft.pk == retried.pk and not retried.created
    assert every(NoticeVersion).filter(notice=first).count() == 2
    assert every(Notice).filter(client_uuid=key).count() == 1


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "正文", "title"),
        ("   ", "正文", "title"),
        ("标题", "", "body"),
        ("标" * 101, "x", "title"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_saved(world, title, body, field):
    before = every(Notice).count(), every(NoticeVersion).count()
    with pytest.raises(ValidationError) as refused:
        services.create_notice(
            actor=world.users["community"],
            area=world.areas[COMMUNITY],
            kind="advice",
            title=title,
            body=body,
        )
    assert field in refused.value.message_dict
    assert (every(Notice).count(), every(NoticeVersion).count()) == before


@pytest.mark.parametrize(
    "publish_at",
    [
        timezone.now() - datetime.timedelta(days=1),
        timezone.now() + datetime.timedelta(days=365),
        timezone.now().replace(year=1),
    ],
)
def test_an_absurd_publication_time_is_refused(world, publish_at):
    actor = world.users["community"]
    notice = services.create_notice(
        actor=actor, area=world.areas[COMMUNITY], kind="advice", title="通告", body="正文"
    )
    with pytest.raises(ValidationError) as refused:
        services.publish(actor=actor, notice=notice, version=1, publish_at=publish_at)
    assert "publish_at" in refused.value.message_dict
    assert every(NoticeVersion).get(notice=notice).published_at is None


def test_a_scheduled_publication_waits_for_its_time(world):
    actor = world.users["community"]
    notice = services.create_notice(
        actor=actor, area=world.areas[COMMUNITY], kind="advice", title="明日通告", body="正文"
    )
    when = timezone.now() + datetime.timedelta(days=1)
    services.publish(actor=actor, notice=notice, version=1, publish_at=when)
    assert every(NoticeVersion).get(notice=notice).published_at == when


def test_only_communities_and_townships_and_only_their_writers(world):
    with pytest.raises(ValidationError):
        services.create_notice(
            actor=world.users["community"],
            area=world.areas[GRID],
            kind="advice",
            title="网格通告",
            body="正文",
        )
    for user, code in (
        ("community", OTHER_COMMUNITY),
        ("community", TOWNSHIP),
        ("grid", COMMUNITY),
    ):
        with pytest.raises(PermissionDenied):
            services.create_notice(
                actor=world.users[user], area=world.areas[code], kind="advice", title="t", body="b"
            )
    # A township's supervisor writes for the township and its communities.
    notice = published_notice(world, user="township", code=TOWNSHIP)
    assert notice.area.code == TOWNSHIP


def test_a_withdrawn_notice_is_not_revised_and_a_reason_is_asked(world):
    actor = world.users["community"]
    notice = published_notice(world)
    with pytest.raises(ValidationError):
        services.withdraw(actor=actor, notice=notice, reason=" ")
    services.withdraw(actor=actor, notice=notice, reason="发错了")
    with pytest.raises(ValidationError):
        services.save_draft(actor=actor, notice=notice, title="t", body="b")
    # Withdrawing it again changes nothing.
    when = every(Notice).get(pk=notice.pk).withdrawn_at
    services.withdraw(actor=actor, notice=notice, reason="再撤")
    assert every(Notice).get(pk=notice.pk).withdrawn_at == when


def test_publishing_a_version_that_does_not_exist_is_refused(world):
    actor = world.users["community"]
    notice = published_notice(world)
    with pytest.raises(ValidationError):
        services.publish(actor=actor, notice=notice, version=7)
