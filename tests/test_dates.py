"""Dates at the edge (issue 12, point 6): every date field and parameter of the pages and the
API, sent year 1, year 9999, 1900, a day that does not exist, text, tomorrow and a good date.

A refused date answers a 4xx or the page with its reason in Chinese, never a 5xx, and stores
nothing; a date in the field's window (fangkong/dates.py) is taken. Each value is tried in a
transaction rolled back after it, so every one meets the same world.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fangkong import dates
from fangkong.monitoring.models import HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.people.models import KeyGroup, Resident
from fangkong.reports.models import DailyReport, ReportVersion
from fangkong.reports.services import current_figures
from fangkong.verification.models import VerificationList
from tests.verification.helpers import csv_file
from tests.world import every, make_resident

GRID = "350502001001001"
GRID2 = "350502001001002"
COMMUNITY = "350502001001"
TOWNSHIP = "350502001000"

HAN = re.compile(r"[\u4e00-\u9fff]")
# What a page shows a refusal in: a field's feedback, the form's or the page's alert.
ERRORS = re.compile(
    r'<div class="(?:invalid-feedback|alert alert-(?:danger|warning))[^"]*"[^>]*>(.*?)</div>', re.S
)


def today():
    return timezone.localdate()


def day(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def edges():
    """The values sent, by name: each field says which of them its window takes."""
    return {
        "year 1": "0001-01-01",
        "year 9999": "9999-12-31",
        "1900": "1900-01-01",
        "30 February": f"{today().year}-02-30",
        "text": "abc",
        "tomorrow": day(1),
    }


@dataclass
class Case:
    name: str
    persona: str
    send: object  # (client, world, value) -> response
    stored: object  # (world) -> what a write would change
    valid: object  # () -> a date the field takes
    takes: set = field(default_factory=set)  # edge names in the field's window
    write: bool = True
    setup: object = None  # (world) -> None, before anything is sent


def get(route, param, *args, extra=None, follow=False):
    def send(client, world, value):
        query = {param: value, **(extra or {})}
        return client.get(reverse(route, args=args), query, follow=follow)

    return send


def api_post(route, data, *args):
    """POST JSON `data(world, value)` to an API route (args may be world -> arg)."""

    def send(client, world, value):
        resolved = [a(world) if callable(a) else a for a in args]
        return client.post(
            reverse(route, args=resolved), data(world, value), content_type="application/json"
        )

    return send


def page_post(route, data, *args):
    def send(client, world, value):
        resolved = [a(world) if callable(a) else a for a in args]
        return client.post(reverse(route, args=resolved), data(world, value), follow=True)

    return send


def count(model):
    return lambda world: every(model).count()


def nothing(world):
    return None


def quiet_on(world, value):
    """A zero report for a quiet day, else the figures as they are (only for a good day)."""
    try:
        asked = datetime.date.fromisoformat(value)
    except ValueError:
        return False
    if dates.REPORT_DAY.refusal(asked):
        return False
    figures, _coverage = current_figures(
        world.users["community"], world.areas[COMMUNITY], asked, timezone.now()
    )
    return not any(figures.values())


def submit_data(world, value):
    return {"day": value, "zero_report": quiet_on(world, value), "note": ""}


def stop_setup(world):
    """A plan with no open alert, monitored from two days ago, that may be stopped."""
    world.stoppable = every(MonitoringPlan).create(
        resident=world.residents[GRID],
        area=world.areas[GRID],
        category=MonitoringCategory.objects.get(code="cold_chain"),
        starts_on=today() - datetime.timedelta(days=2),
        ends_on=today() + datetime.timedelta(days=10),
        source="测试",
    )


def no_id_setup(world):
    """A person without an ID number, whose birth date is typed."""
    world.no_id = make_resident(world.households[GRID], "无证居民")


def plan_data(field_name):
    def data(world, value):
        return {
            "resident": world.residents[GRID2].pk,
            "category": "cold_chain",
            "source": "县指挥部推送",
            field_name: value,
        }

    return data


def plan_page_data(field_name):
    def data(world, value):
        category = MonitoringCategory.objects.get(code="cold_chain")
        return {"category": category.pk, "source": "县指挥部推送", field_name: value}

    return data


def resident_state(world):
    return list(every(Resident).order_by("pk").values_list("status", "status_changed_on"))


def key_group_ends(world):
    return list(every(KeyGroup).order_by("pk").values_list("ended_on", flat=True))


def birth_dates(world):
    return list(every(Resident).order_by("pk").values_list("birth_date", flat=True))


def plan_stops(world):
    return list(every(MonitoringPlan).order_by("pk").values_list("stopped_on", flat=True))


def upload_page(client, world, value):
    return client.post(
        reverse("verification_upload", args=[TOWNSHIP]),
        {"name": "县指挥部协查", "deadline": value, "file": csv_file("张三,,,返乡,")},
        follow=True,
    )


def upload_api(client, world, value):
    return client.post(
        reverse("verification-list-list"),
        {
            "area": TOWNSHIP,
            "name": "县指挥部协查",
            "deadline": value,
            "file": csv_file("张三,,,返乡,"),
        },
    )


REPORT = {"persona": "community", "valid": lambda: today() - datetime.timedelta(days=2)}
READ = {**REPORT, "stored": nothing, "write": False}
LIFETIME = {"1900"}
AHEAD = {"tomorrow"}

CASES = [
    # The report pages, their print, workbook, trend and range export; the report-day API.
    Case("report page", send=get("report_area", "day", COMMUNITY), **READ),
    Case("report print", send=get("report_print", "day", COMMUNITY), **READ),
    Case("report workbook", send=get("report_workbook", "day", COMMUNITY), **READ),
    Case("report trend", send=get("report_trend", "day", COMMUNITY), **READ),
    Case(
        "report export from",
        send=get("report_export", "first", COMMUNITY, extra={"last": day(-1)}, follow=True),
        **READ,
    ),
    Case(
        "report export to",
        send=get("report_export", "last", COMMUNITY, extra={"first": day(-3)}, follow=True),
        **READ,
    ),
    Case("report-days API", send=get("report-day-detail", "day", COMMUNITY), **READ),
    Case("report-days trend API", send=get("report-day-trend", "day", COMMUNITY), **READ),
    # Sending a report for a date, on the page and through the API; amending one.
    Case(
        "report submit page",
        send=page_post("report_submit", submit_data, COMMUNITY),
        stored=count(DailyReport),
        **REPORT,
    ),
    Case(
        "report amend page",
        send=page_post(
            "report_amend",
            lambda world, value: {"day": value, "reason": "补录", "zero_report": False},
            COMMUNITY,
        ),
        stored=count(ReportVersion),
        persona="community",
        valid=lambda: today() - datetime.timedelta(days=1),  # the world's sent report
    ),
    Case(
        "report submit API",
        send=api_post(
            "daily-report-submit",
            lambda world, value: {"area": COMMUNITY, **submit_data(world, value)},
        ),
        stored=count(DailyReport),
        **REPORT,
    ),
    # The audit trail's dates, on the page and through the API.
    *(
        Case(
            f"audit {where} {param}",
            send=get(route, param),
            persona="community",
            valid=today,
            stored=nothing,
            write=False,
        )
        for where, route in (("page", "audit_event_list"), ("API", "auditevent-list"))
        for param in ("date_from", "date_to")
    ),
    # A monitoring plan's start and end, on the page and through the API; its stop; a check.
    Case(
        "plan page start",
        send=page_post("plan_create", plan_page_data("starts_on"), lambda w: w.residents[GRID2].pk),
        stored=count(MonitoringPlan),
        persona="community",
        valid=today,
        takes=AHEAD,
    ),
    Case(
        "plan page end",
        send=page_post("plan_create", plan_page_data("ends_on"), lambda w: w.residents[GRID2].pk),
        stored=count(MonitoringPlan),
        persona="community",
        valid=lambda: today() + datetime.timedelta(days=13),
        takes=AHEAD,
    ),
    Case(
        "plan API start",
        send=api_post("monitoringplan-list", plan_data("starts_on")),
        stored=count(MonitoringPlan),
        persona="community",
        valid=today,
        takes=AHEAD,
    ),
    Case(
        "plan API end",
        send=api_post("monitoringplan-list", plan_data("ends_on")),
        stored=count(MonitoringPlan),
        persona="community",
        valid=lambda: today() + datetime.timedelta(days=13),
        takes=AHEAD,
    ),
    Case(
        "plan stop page",
        send=page_post(
            "plan_stop",
            lambda world, value: {"stop_reason": "转集中隔离", "stopped_on": value},
            lambda w: w.stoppable.pk,
        ),
        stored=plan_stops,
        persona="community",
        valid=today,
        takes=AHEAD,
        setup=stop_setup,
    ),
    Case(
        "plan stop API",
        send=api_post(
            "monitoringplan-stop",
            lambda world, value: {"reason": "转集中隔离", "stopped_on": value},
            lambda w: w.stoppable.pk,
        ),
        stored=plan_stops,
        persona="community",
        valid=today,
        takes=AHEAD,
        setup=stop_setup,
    ),
    Case(
        "check API day",
        send=api_post(
            "healthcheck-list",
            lambda world, value: {
                "plan": world.stoppable.pk,
                "temperature": str(Decimal("36.5")),
                "day": value,
            },
        ),
        stored=count(HealthCheck),
        persona="community",
        valid=today,
        setup=stop_setup,
    ),
    Case(
        "monitoring day board",
        send=get("monitoring_counts", "day", COMMUNITY),
        stored=nothing,
        write=False,
        persona="community",
        valid=today,
    ),
    # Moved out or deceased since, a key group found and ended, a birth date.
    Case(
        "status page",
        send=page_post(
            "resident_status",
            lambda world, value: {"status": "moved_out", "since": value, "note": ""},
            lambda w: w.residents[GRID].pk,
        ),
        stored=resident_state,
        persona="community",
        valid=today,
        takes=LIFETIME,
    ),
    Case(
        "status API",
        send=api_post(
            "resident-status",
            lambda world, value: {"status": "deceased", "since": value},
            lambda w: w.residents[GRID].pk,
        ),
        stored=resident_state,
        persona="community",
        valid=today,
        takes=LIFETIME,
    ),
    Case(
        "key group page",
        send=page_post(
            "key_group_add",
            lambda world, value: {"kind": "lone_elderly", "found_on": value, "note": ""},
            lambda w: w.residents[GRID].pk,
        ),
        stored=count(KeyGroup),
        persona="community",
        valid=today,
        takes=LIFETIME,
    ),
    Case(
        "key group API",
        send=api_post(
            "keygroup-list",
            lambda world, value: {
                "resident": world.residents[GRID].pk,
                "kind": "lone_elderly",
                "found_on": value,
            },
        ),
        stored=count(KeyGroup),
        persona="community",
        valid=today,
        takes=LIFETIME,
    ),
    Case(
        # 1900 lies in a lifetime, but before the group was found: refused all the same.
        "key group end API",
        send=api_post(
            "keygroup-end",
            lambda world, value: {"ended_on": value},
            lambda w: w.key_groups[GRID].pk,
        ),
        stored=key_group_ends,
        persona="community",
        valid=today,
    ),
    Case(
        "birth date page",
        send=page_post(
            "resident_edit",
            lambda world, value: {
                "name": "无证居民",
                "relation_to_head": Resident.Relation.HEAD,
                "residence": Resident.Residence.REGISTERED_LIVING,
                "birth_date": value,
            },
            lambda w: w.no_id.pk,
        ),
        stored=birth_dates,
        persona="community",
        valid=lambda: today() - datetime.timedelta(days=365 * 30),
        takes=LIFETIME,
        setup=no_id_setup,
    ),
    Case(
        "birth date API create",
        send=api_post(
            "resident-list",
            lambda world, value: {
                "household": world.households[GRID].pk,
                "name": "新生儿",
                "birth_date": value,
            },
        ),
        stored=count(Resident),
        persona="community",
        valid=lambda: today() - datetime.timedelta(days=3),
        takes=LIFETIME,
    ),
    Case(
        "birth date API change",
        send=lambda client, world, value: client.patch(
            reverse("resident-detail", args=[world.no_id.pk]),
            {"birth_date": value},
            content_type="application/json",
        ),
        stored=birth_dates,
        persona="community",
        valid=lambda: today() - datetime.timedelta(days=365 * 30),
        takes=LIFETIME,
        setup=no_id_setup,
    ),
    # A verification list's deadline, on the page and through the API.
    Case(
        "deadline page",
        send=upload_page,
        stored=count(VerificationList),
        persona="township",
        valid=lambda: today() + datetime.timedelta(days=3),
        takes=AHEAD,
    ),
    Case(
        "deadline API",
        send=upload_api,
        stored=count(VerificationList),
        persona="township",
        valid=lambda: today() + datetime.timedelta(days=3),
        takes=AHEAD,
    ),
]


def messages_of(response):
    """The refusals an answer carries: an API's error strings, a page's error boxes."""
    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/json"):
        found = []

        def walk(value):
            if isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)
            elif isinstance(value, str):
                found.append(value)

        if response.status_code >= 400:
            walk(json.loads(response.content))
        return found
    if content_type.startswith("text/html"):
        return [
            re.sub(r"<[^>]+>", "", m).strip() for m in ERRORS.findall(response.content.decode())
        ]
    return []


def attempt(case, client, world, value):
    """Send one value in a transaction rolled back after it: (answer, whether it stored)."""
    with transaction.atomic():
        before = case.stored(world)
        response = case.send(client, world, value)
        changed = case.stored(world) != before
        transaction.set_rollback(True)
    return response, changed


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_date_is_bounded_with_a_chinese_reason_and_never_a_server_error(case, as_user, world):
    if case.setup:
        case.setup(world)
    client = as_user(world.users[case.persona])
    values = {**edges(), "valid": case.valid().isoformat()}
    for name, value in values.items():
        response, stored = attempt(case, client, world, value)
        said = messages_of(response)
        what = f"{case.name}, {name} ({value}): {response.status_code} {said}"
        assert response.status_code < 500, what
        if name == "valid" or name in case.takes:
            assert response.status_code < 400 and not said, what
            assert stored or not case.write, what
        else:
            assert not stored, what
            assert 400 <= response.status_code < 500 or said, what
            assert any(HAN.search(m) for m in said), what


def test_the_windows_say_what_they_take():
    now = today()
    assert dates.REPORT_DAY.bounds() == (dates.first_day(), now)
    assert dates.BIRTH_DATE.bounds() == (dates.OLDEST, now)
    first, last = dates.PLAN_START.bounds()
    assert (now - first).days == (last - now).days == dates.PLAN_START_DAYS
    assert dates.DEADLINE.bounds()[0] == now
    assert dates.LIFE_EVENT.refusal(now + datetime.timedelta(days=1))
    assert dates.LIFE_EVENT.refusal(datetime.date.min)
    assert dates.REPORT_DAY.refusal(datetime.date.max)
    assert dates.PLAN_START.refusal(now) is None


def test_the_first_day_is_a_setting(settings):
    settings.FANGKONG_FIRST_DAY = day(-10)
    assert dates.REPORT_DAY.refusal(today() - datetime.timedelta(days=11))
    assert dates.REPORT_DAY.refusal(today() - datetime.timedelta(days=10)) is None


def test_a_plan_lasts_at_most_two_years():
    start = today()
    dates.check_plan_length(start, start + datetime.timedelta(days=dates.PLAN_LONGEST_DAYS - 1))
    with pytest.raises(ValidationError, match=str(dates.PLAN_LONGEST_DAYS)):
        dates.check_plan_length(start, start + datetime.timedelta(days=dates.PLAN_LONGEST_DAYS))
