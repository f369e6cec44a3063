"""A case changed after it was recorded: reclassified towards certainty, or a suspected case
ruled out with the reason (its contacts re-ranked, their quarantine left to the rules), by
page and API, audited; refusals in Chinese that change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from fangkong.audit.models import AuditEvent
from fangkong.tracing import case_changes
from fangkong.tracing.models import Case, Category, RankChange, TracedPerson
from tests.tracing.helpers import OTHER_GRID, case, contact, days_ago, fresh, person
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_suspected_case_is_confirmed_and_audited(world):
    a, b = person(world, "甲"), person(world, "乙")
    suspected = case(world, a, classification="suspected")
    contact(world, a, b)
    changed = case_changes.reclassify_case(
        actor=world.users["medical"], case=suspected, classification="confirmed", note="核酸阳性"
    )
    assert fresh(Case, changed).classification == "confirmed"
    assert fresh(TracedPerson, b).category == Category.CLOSE_CONTACT  # still a case's contact
    event = every(AuditEvent).filter(action="tracing.reclassify").latest("pk")
    assert event.detail["previous"] == "suspected" and event.detail["classification"] == "confirmed"


def test_an_asymptomatic_infection_turns_confirmed_but_a_confirmed_case_stays_one(world):
    medical = world.users["medical"]
    asymptomatic = case(world, person(world, "甲"), classification="asymptomatic")
    case_changes.reclassify_case(actor=medical, case=asymptomatic, classification="confirmed")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refusal:
        case_changes.reclassify_case(actor=medical, case=asymptomatic, classification="suspected")
    assert "classification" in refusal.value.message_dict
    assert fresh(Case, asymptomatic).classification == "confirmed"


def test_a_case_outside_the_scope_or_ruled_out_is_not_reclassified(world):
    suspected = case(world, person(world, "甲"), classification="suspected")
    with pytest.raises(PermissionDenied):
        case_changes.reclassify_case(
            actor=world.users["community"], case=suspected, classification="confirmed"
        )
    case_changes.rule_out_case(
        actor=world.users["medical"], case=suspected, ruled_out_on=days_ago(0), reason="两次阴性"
    )
    with pytest.raises(ValidationError):
        case_changes.reclassify_case(
            actor=world.users["medical"], case=suspected, classification="confirmed"
        )
    assert fresh(Case, suspected).classification == "suspected"


def test_ruling_out_needs_a_reason_and_a_day_after_the_report(world):
    medical = world.users["medical"]
    suspected = case(
        world, person(world, "甲"), classification="suspected", reported_on=days_ago(2)
    )
    for reason, day in (("  ", days_ago(0)), ("两次阴性", days_ago(3)), ("两次阴性", days_ago(-1))):
        with pytest.raises(ValidationError):
            case_changes.rule_out_case(
                actor=medical, case=suspected, ruled_out_on=day, reason=reason
            )
    assert fresh(Case, suspected).standing
    confirmed = case(world, person(world, "乙"))
    with pytest.raises(ValidationError):
        case_changes.rule_out_case(
            actor=medical, case=confirmed, ruled_out_on=days_ago(0), reason="x"
        )
    assert fresh(Case, confirmed).standing


def test_ruling_out_reranks_the_contacts_with_the_reason_logged(world):
    a, b, c = person(world, "甲"), person(world, "乙"), person(world, "丙")
    suspected = case(world, a, classification="suspected")
    contact(world, a, b)
    contact(world, b, c)
    case_changes.rule_out_case(
        actor=world.users["medical"], case=suspected, ruled_out_on=days_ago(0), reason="两次阴性"
    )
    assert fresh(Case, suspected).ruled_out_reason == "两次阴性"
    assert fresh(TracedPerson, b).category == "" and fresh(TracedPerson, c).category == ""
    logged = every(RankChange).filter(person=c).latest("pk")
    assert logged.old == Category.SECONDARY_CONTACT and "两次阴性" in logged.reason
    event = every(AuditEvent).filter(action="tracing.rule_out").latest("pk")
    assert event.detail["reason"] == "两次阴性"


def test_the_case_page_offers_the_changes_only_to_whom_may_make_them(as_user, world):
    suspected = case(world, person(world, "甲"), classification="suspected")
    page = as_user(world.users["medical"]).get(reverse("tracing_case", args=[suspected.pk]))
    assert b'id="case-reclassify"' in page.content and b'id="case-rule-out"' in page.content
    confirmed = case(world, person(world, "乙"))
    page = as_user(world.users["medical"]).get(reverse("tracing_case", args=[confirmed.pk]))
    assert b'id="case-reclassify"' not in page.content and b'id="case-rule-out"' not in page.content
    url = reverse("tracing_rule_out", args=[suspected.pk])
    assert as_user(world.users["community"]).get(url).status_code == 404
    assert as_user(world.users["township2"]).get(url).status_code == 404


def test_the_pages_reclassify_and_rule_out(as_user, world):
    client = as_user(world.users["medical"])
    suspected = case(world, person(world, "甲"), classification="suspected")
    url = reverse("tracing_rule_out", args=[suspected.pk])
    refused = client.post(url, {"ruled_out_on": days_ago(0).isoformat(), "reason": ""})
    assert refused.status_code == 200 and fresh(Case, suspected).standing
    done = client.post(url, {"ruled_out_on": days_ago(0).isoformat(), "reason": "两次阴性"})
    assert done.status_code == 302 and not fresh(Case, suspected).standing
    again = client.post(url, {"ruled_out_on": days_ago(0).isoformat(), "reason": "两次阴性"})
    assert again.status_code == 200  # the service's refusal on the form, nothing changed
    other = case(
        world,
        person(world, "乙", code=OTHER_GRID, by="county"),
        by="county",
        classification="suspected",
    )
    answer = as_user(world.users["county"]).post(
        reverse("tracing_reclassify", args=[other.pk]), {"classification": "confirmed"}
    )
    assert answer.status_code == 302 and fresh(Case, other).classification == "confirmed"


def test_the_api_reclassifies_and_rules_out(as_user, world):
    client = as_user(world.users["medical"])
    suspected = case(world, person(world, "甲"), classification="suspected")
    base = f"/api/cases/{suspected.pk}/"
    answer = client.post(base + "rule-out/", {"ruled_out_on": "2019-13-40", "reason": "x"})
    assert answer.status_code == 400 and fresh(Case, suspected).standing
    answer = client.post(
        base + "rule-out/", {"ruled_out_on": days_ago(0).isoformat(), "reason": "两次阴性"}
    )
    assert answer.status_code == 200 and answer.json()["ruled_out_reason"] == "两次阴性"
    answer = client.post(base + "reclassify/", {"classification": "confirmed"})
    assert answer.status_code == 400
    asymptomatic = case(world, person(world, "乙"), classification="asymptomatic")
    answer = as_user(world.users["community"]).post(
        f"/api/cases/{asymptomatic.pk}/reclassify/", {"classification": "confirmed"}
    )
    assert answer.status_code == 404 and fresh(Case, asymptomatic).classification == "asymptomatic"
    answer = as_user(world.users["medical"]).post(
        f"/api/cases/{asymptomatic.pk}/reclassify/", {"classification": "confirmed"}
    )
    assert answer.status_code == 200 and answer.json()["classification"] == "confirmed"
