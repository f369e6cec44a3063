import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.directives import report_services, selectors, services
from fangkong.directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveReceipt,
    ImplementationReport,
)
from fangkong.directives.reminders import send_directive_reminders
from fangkong.directives.reporting import compute
from fangkong.notifications.models import Notification
from tests.directives.helpers import (
    COMMUNITY,
    COMMUNITY2,
    COUNTY,
    TOWNSHIP,
    TOWNSHIP2,
    forward_to_community,
    hours,
    issue,
    receipt_of,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_county_sends_to_its_townships_in_bulk_and_a_retry_sends_once(world):
    key = uuid.uuid4()
    directive = issue(world, client_uuid=key)
    again = issue(world, client_uuid=key)
    assert again.pk == directive.pk and again.created is False
    receivers = every(DirectiveReceipt).filter(directive=directive)
    assert sorted(r.area.code for r in receivers) == [TOWNSHIP, TOWNSHIP2]
    assert all(r.area_path == r.area.path for r in receivers)
    assert every(Directive).filter(client_uuid=key).count() == 1


def test_some_areas_only_and_a_deeper_level(world):
    directive = issue(world, level="community", within=[TOWNSHIP])
    assert [r.area.code for r in every(DirectiveReceipt).filter(directive=directive)] == [COMMUNITY]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"ack_due_at": timezone.now() - datetime.timedelta(hours=1)}, "ack_due_at"),
        ({"ack_due_at": None}, "ack_due_at"),
        # 23:30 and "a report within half an hour": less than the notice.
        ({"report_due_at": timezone.now() + datetime.timedelta(minutes=30)}, "report_due_at"),
        ({"title": "  "}, "title"),
        ({"level": "county"}, "level"),
        ({"within": ["350581000000"], "level": "community"}, "within"),
        ({"figures": ["no_such_figure"]}, "figures"),
    ],
)
def test_bad_directives_are_refused_and_change_nothing(world, change, field):
    before = every(DirectiveReceipt).count(), every(Directive).count()
    with pytest.raises(ValidationError) as refused:
        issue(world, **change)
    if field:
        assert field in refused.value.message_dict
    assert (every(DirectiveReceipt).count(), every(Directive).count()) == before


def test_a_forward_outside_the_area_is_refused(world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    with pytest.raises(ValidationError) as refused:
        services.forward(
            actor=world.users["township"],
            receipt=receipt,
            level="community",
            within=[COMMUNITY2],  # under the other township
            ack_due_at=hours(20),
            report_due_at=hours(60),
        )
    assert "within" in refused.value.message_dict
    assert every(DirectiveReceipt).filter(directive=directive).count() == 2


def test_only_the_receiving_area_acts_and_issues_as_itself(world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    with pytest.raises(PermissionDenied):
        services.acknowledge(actor=world.users["county"], receipt=receipt)
    with pytest.raises(PermissionDenied):
        issue(world, actor=world.users["township"])
    with pytest.raises(PermissionDenied):
        issue(world, area=world.areas[TOWNSHIP])  # the county does not issue as a township


def test_acknowledging_twice_keeps_the_first(world):
    receipt = receipt_of(issue(world), TOWNSHIP)
    first = services.acknowledge(actor=world.users["township"], receipt=receipt)
    again = services.acknowledge(actor=world.users["township"], receipt=receipt)
    assert first.acknowledged_at == again.acknowledged_at is not None


def test_a_forward_keeps_what_the_level_added_and_its_deadlines_are_bounded(world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    common = {"actor": world.users["township"], "receipt": receipt, "level": "community"}
    # Later than its own deadline, or more than the margin (24 h) before it: refused.
    for report_due in (hours(80), hours(30)):
        with pytest.raises(ValidationError) as refused:
            services.forward(**common, ack_due_at=hours(20), report_due_at=report_due)
        assert "report_due_at" in refused.value.message_dict
    forward_to_community(world, directive)
    child = receipt_of(directive, COMMUNITY)
    assert child.parent_id == receipt.pk and child.report_due_at < receipt.report_due_at
    assert receipt_of(directive, TOWNSHIP).addition == "各社区须每日上报。"
    # Sent again: nothing more; another forward: refused.
    forward_to_community(world, directive)
    assert every(DirectiveReceipt).filter(directive=directive).count() == 3
    with pytest.raises(ValidationError):
        forward_to_community(world, directive, addition="另加要求")
    chain = selectors.chain(child)
    assert [r.area.code for r in chain] == [TOWNSHIP]


def test_an_oversized_or_false_attachment_is_refused(world, settings):
    settings.FANGKONG_UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("大.pdf", b"%PDF" + b"0" * (1024 * 1024 + 1))
    fake = SimpleUploadedFile("假.pdf", b"MZ not a pdf")
    for upload in (big, fake):
        with pytest.raises(ValidationError) as refused:
            issue(world, attachments=[upload])
        assert "attachments" in refused.value.message_dict
    assert (
        not every(Directive).exists()
        or not every(DirectiveAttachment).filter(directive__title="关于加强防控的通知").exists()
    )


def test_reports_roll_up_children_first_and_the_sum_is_live(world):
    directive = issue(world, figures=["directive_reports_due"])
    forward_to_community(world, directive)
    township = receipt_of(directive, TOWNSHIP)
    community = receipt_of(directive, COMMUNITY)
    with pytest.raises(ValidationError):  # its community has not reported
        report_services.send_report(actor=world.users["township"], receipt=township)
    key = uuid.uuid4()
    report = report_services.send_report(
        actor=world.users["community"],
        receipt=community,
        typed={"asked-0": "7"},
        client_uuid=key,
    )
    # The figure the system knows is taken from the records, never typed.
    assert report.figures == {"directive_reports_due": 1}
    again = report_services.send_report(
        actor=world.users["community"], receipt=community, typed={"asked-0": 9}, client_uuid=key
    )
    assert again.pk == report.pk and every(ImplementationReport).count() == 4  # 3 of the world
    county = world.users["county"]
    progress = selectors.progress(county, directive, world.areas[COUNTY])
    assert (progress["totals"]["reported"], progress["totals"]["total"]) == (1, 2)
    assert ("asked-0", "排查场所数", 7, True, None) in progress["sums"]
    rolled = report_services.send_report(actor=world.users["township"], receipt=township)
    assert rolled.rolled_up and rolled.typed == {"asked-0": 7}
    # The township's roll-up is not counted twice.
    assert ("asked-0", "排查场所数", 7, True, None) in selectors.sums(
        county, directive, world.areas[COUNTY]
    )


def test_a_report_for_a_directive_not_received_or_asking_none(world):
    directive = issue(world, report=False)
    receipt = receipt_of(directive, TOWNSHIP)
    with pytest.raises(PermissionDenied):
        report_services.send_report(actor=world.users["township2"], receipt=receipt)
    with pytest.raises(ValidationError):
        report_services.send_report(actor=world.users["township"], receipt=receipt)
    with pytest.raises(ValidationError):
        report_services.send_report(
            actor=world.users["township"],
            receipt=receipt_of(issue(world), TOWNSHIP),
            typed={"asked-0": "-1"},
        )


def test_reminders_tell_each_area_once_and_the_daily_report_counts(world):
    directive = issue(world)
    forward_to_community(world, directive)
    told = send_directive_reminders()
    assert told and send_directive_reminders() == 0
    assert Notification.objects.filter(
        user=world.users["township2"], key__startswith="directive-new:"
    ).exists()
    values = compute(world.areas[COMMUNITY], timezone.localdate(), timezone.now())
    assert values["directives_unacknowledged"] == 1
    assert values["directive_reports_due"] == 1
    # Late: reminded of the report, and the sender of the areas late below it.
    every(DirectiveReceipt).filter(directive=directive).update(
        report_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert send_directive_reminders() > 0
    assert Notification.objects.filter(
        user=world.users["county"], key=f"directive-late-below:{directive.pk}"
    ).exists()
    assert (
        compute(world.areas[COMMUNITY], timezone.localdate(), timezone.now())[
            "directive_reports_late"
        ]
        == 1
    )
