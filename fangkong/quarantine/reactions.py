"""What quarantine does when tracing re-ranks a person (`tracing.signals.category_changed`),
inside the same transaction, each change audited with the reason tracing gave:

- a person in quarantine who becomes a case leaves quarantine (treatment is not quarantine;
  their room goes to disinfection);
- a person whose category becomes stricter (a secondary contact who is now a close contact)
  is put under the stricter rule: the quarantine's category and rule change, its end moves
  later if the stricter stage is longer, the missing tests are scheduled. A home quarantine
  stays at home until a worker moves the person to a site (a new quarantine), which the
  quarantine's page and the "to place" list say;
- a category that becomes milder or lapses changes nothing by itself: a worker releases or
  ends the quarantine by hand (the rule's period and tests still apply).
"""

import datetime

from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.quarantine import services
from fangkong.quarantine.models import STRICTNESS, Category
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.scope import system_scope
from fangkong.tracing.selectors import by_ids, table


def on_categories_changed(sender, changes, reason="", actor=None, reasons=None, **kwargs):
    """Tracing's bulk news of one re-ranking: the open quarantines of everyone re-ranked are
    read in one query per chunk (a new case may re-rank 10⁴ people, few in quarantine)."""
    news = {pk: new for pk, _old, new in changes}
    # The ids first, in raw SQL by chunks (`tracing.selectors.by_ids`: the ORM would prepare
    # 10⁴ ids one by one); then the few open quarantines themselves.
    statuses = list(services.OPEN)
    sql = (
        f"SELECT id FROM {table(Quarantine)} "
        f"WHERE status IN ({', '.join(['%s'] * len(statuses))}) AND person_id IN ({{ids}})"
    )
    found = [pk for (pk,) in by_ids(sql, news, statuses)]
    with system_scope():  # one open quarantine per person, wherever it is kept
        open_ones = list(Quarantine.objects.filter(pk__in=found).order_by("pk"))
    # A case list re-ranked at once gives each person the reason of the list's nearest case.
    reasons = reasons or {}
    for quarantine in open_ones:
        person = quarantine.person_id
        react(quarantine, news[person], reasons.get(person, reason), actor)


def react(quarantine, new, reason, actor):
    if new == "case":
        services.end_quarantine(
            actor=actor,
            quarantine=quarantine,
            reason=_("Became a case: %(reason)s") % {"reason": reason or "—"},
            check=False,
        )
        return
    if new not in Category.values or STRICTNESS[new] <= STRICTNESS.get(quarantine.category, -1):
        return
    apply_stricter(actor=actor, quarantine=quarantine, category=new, reason=reason)


def apply_stricter(*, actor, quarantine, category, reason):
    rule = services.rule_for(category)
    span = services.stage_span(rule, quarantine.kind) or (1, rule.stages()[0][1])
    first_day, days = span
    previous = {"category": quarantine.category, "ends_on": str(quarantine.ends_on)}
    quarantine.category, quarantine.rule = category, rule
    quarantine.ends_on = max(
        quarantine.ends_on, quarantine.starts_on + datetime.timedelta(days=days - 1)
    )
    quarantine.save(update_fields=["category", "rule", "ends_on"])
    with system_scope():
        have = set(quarantine.tests.values_list("day_number", flat=True))
    TestResult.objects.bulk_create(
        TestResult(
            quarantine=quarantine,
            area=quarantine.area,
            area_path=quarantine.area_path,
            day_number=day - first_day + 1,
            due_on=quarantine.starts_on + datetime.timedelta(days=day - first_day),
        )
        for day in sorted(set(rule.test_days))
        if first_day <= day < first_day + days and day - first_day + 1 not in have
    )
    if quarantine.plan_id and quarantine.plan.ends_on < quarantine.ends_on:
        plan = quarantine.plan
        plan.ends_on = quarantine.ends_on
        with system_scope():
            plan.save(update_fields=["ends_on"])
    record(
        actor=actor,
        action="quarantine.rule_changed",
        target=quarantine,
        area=quarantine.area,
        previous=previous,
        category=category,
        ends_on=str(quarantine.ends_on),
        reason=reason,
        kind_kept=quarantine.kind,
        needs_site=quarantine.kind != Quarantine.Kind.CENTRAL and rule.central_days > 0,
    )
