"""Degrees derived from the graph, re-ranking with its log and signal, the strictest
category over several edges, and the derived category equal to the kept one."""

import pytest
from django.db import transaction
from django.utils import timezone

from fangkong.tracing import selectors
from fangkong.tracing.models import Case, Category, RankChange, TracedPerson
from fangkong.tracing.ranking import rerank
from fangkong.tracing.signals import category_changed
from tests.tracing.helpers import case, contact, fresh, person
from tests.world import every

pytestmark = pytest.mark.django_db


def kept_equals_derived(*names):
    persons = list(every(TracedPerson).filter(name__in=names))
    derived = selectors.derived_categories([p.pk for p in persons])
    assert {p.pk: p.category for p in persons} == derived


def test_degrees_follow_the_graph_and_rerank_when_a_contact_becomes_a_case(world):
    a, b, c, d = (person(world, name) for name in ("甲", "乙", "丙", "丁"))
    case(world, a)
    contact(world, a, b)
    contact(world, b, c)
    contact(world, c, d)
    assert [selectors.category_of(p) for p in (a, b, c, d)] == [
        "case",
        "close_contact",
        "secondary_contact",
        None,
    ]
    kept_equals_derived("甲", "乙", "丙", "丁")

    seen = []

    def listen(sender, person, old, new, reason, actor, **kwargs):
        seen.append((person.name, old, new))

    category_changed.connect(listen)
    try:
        case(world, c)
    finally:
        category_changed.disconnect(listen)
    assert sorted(seen) == [("丁", "", "close_contact"), ("丙", "secondary_contact", "case")]
    assert fresh(TracedPerson, d).category == Category.CLOSE_CONTACT
    change = every(RankChange).get(person=d)
    assert "丙" in change.reason and change.trigger_id == c.pk
    kept_equals_derived("甲", "乙", "丙", "丁")


def test_a_person_reached_twice_gets_the_strictest(world):
    a, b, c, x = (person(world, name) for name in ("甲", "乙", "丙", "戊"))
    case(world, a)
    contact(world, a, b)
    contact(world, b, x)  # secondary through b
    contact(world, c, x)  # c is nobody yet
    assert fresh(TracedPerson, x).category == Category.SECONDARY_CONTACT
    contact(world, a, x)  # and now close through a
    assert fresh(TracedPerson, x).category == Category.CLOSE_CONTACT
    assert selectors.categories_of(every(TracedPerson).filter(pk=x.pk)) == {x.pk: "close_contact"}
    kept_equals_derived("甲", "乙", "丙", "戊")


def test_a_change_is_logged_as_said_whatever_its_reason_holds(world):
    # PostgreSQL takes the log by COPY, written as text: separators in a reason stay text.
    a, b = person(world, "甲"), person(world, "乙")
    contact(world, a, b)
    case(world, a)
    every(RankChange).all().delete()
    reason = "名单\t第3批\n复核 C:\\tmp 100%"
    with transaction.atomic():
        every(Case).filter(person=a).update(ruled_out_on=timezone.localdate())
        rerank(actor=world.users["medical"], start_ids=[a.pk], reason=reason)
    logged = {(change.person_id, change.reason, change.trigger_id) for change in every(RankChange)}
    assert logged == {(a.pk, reason, None), (b.pk, reason, None)}
    assert fresh(TracedPerson, b).category == ""
