"""Writes of subsidies, one transaction each (docs/subsidies.md): a county's rules, the
computation of an area's list for a period, and its review."""

import decimal
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.response.models import RANK, RiskLevel
from fangkong.scope import system_scope
from fangkong.subsidies import computation, periods
from fangkong.subsidies.models import Period, Subsidy, SubsidyRule
from fangkong.subsidies.permissions import COMPUTE, REVIEW, SET_RULES

# Yuan: a day's rate, and what one worker may be paid in a period, at most.
MOST_A_DAY = decimal.Decimal("10000")
MOST_A_PERIOD = decimal.Decimal("1000000")
MOST_DAYS = 92  # a quarter
COMPUTED_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)
CENT = decimal.Decimal("0.01")


def refused():
    return PermissionDenied(_("You may not do this here."))


def _money(value, field, *, required, most):
    """A sum of yuan from 0 to `most`, to the cent; None where not required and not given."""
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Give the amount in yuan.")})
        return None
    try:
        value = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        raise ValidationError({field: _("Give the amount in yuan.")}) from None
    if not value.is_finite() or value < 0 or value > most:
        raise ValidationError(
            {field: _("Give an amount from 0 to %(most)s yuan.") % {"most": most}}
        )
    return value.quantize(CENT, rounding=decimal.ROUND_HALF_UP)


@transaction.atomic
def set_rule(
    *,
    actor,
    area,
    effective_from,
    period,
    rate_medium,
    rate_high,
    min_days=1,
    cap=None,
    note="",
):
    """A county's rule from a day on; set again for the same day, it replaces that rule.
    A rule must pay something: without a rate per day it is refused."""
    if area.level != Level.COUNTY:
        raise ValidationError({"area": _("Subsidy rules are set for a county.")})
    if not actor.has_perm(SET_RULES, area):
        raise refused()
    if rate_medium in (None, "") and rate_high in (None, ""):
        raise ValidationError(
            {"rate_high": _("A subsidy rule needs a rate per day: give the rate in yuan.")}
        )
    rate_medium = _money(rate_medium, "rate_medium", required=True, most=MOST_A_DAY)
    rate_high = _money(rate_high, "rate_high", required=True, most=MOST_A_DAY)
    if not rate_medium and not rate_high:
        raise ValidationError(
            {"rate_high": _("A subsidy rule needs a rate per day: give the rate in yuan.")}
        )
    cap = _money(cap, "cap", required=False, most=MOST_A_PERIOD)
    if period not in Period.values:
        raise ValidationError({"period": _("Choose whether the county pays by month or quarter.")})
    if not isinstance(min_days, int) or not 0 <= min_days <= MOST_DAYS:
        raise ValidationError(
            {"min_days": _("Give the fewest days from 0 to %(most)d.") % {"most": MOST_DAYS}}
        )
    dates.PLAN_START.check(effective_from, field="effective_from")
    with system_scope():  # one rule a day per county, whoever set the earlier one
        rule = SubsidyRule.objects.filter(area=area, effective_from=effective_from).first()
    before = None
    if rule is None:
        rule = SubsidyRule(area=area, effective_from=effective_from)
    else:
        before = {"rate_medium": str(rule.rate_medium), "rate_high": str(rule.rate_high)}
    rule.period = period
    rule.rate_medium = rate_medium
    rule.rate_high = rate_high
    rule.min_days = min_days
    rule.cap = cap
    rule.note = (note or "").strip()
    rule.set_by = actor
    rule.full_clean(exclude=["area", "set_by"])
    rule.save()
    record(
        actor=actor,
        action="subsidies.rule",
        target=rule,
        area=area,
        effective_from=effective_from.isoformat(),
        period=period,
        rate_medium=str(rate_medium),
        rate_high=str(rate_high),
        min_days=min_days,
        cap=str(cap) if cap is not None else "",
        before=before,
    )
    return rule


def rule_in_force(area, day):
    """The rule of the area's county in force on `day`, or None."""
    county = computation.county_path(area.path)
    with system_scope():  # the county's rule applies to every area of it
        return (
            SubsidyRule.objects.filter(area_path=county, effective_from__lte=day)
            .order_by("-effective_from")
            .first()
        )


def amount_of(rule, days_medium, days_high):
    """(eligible, amount) of a worker's days under a rule: nothing below the fewest days,
    the rates per day above, at most the cap."""
    if days_medium + days_high < max(rule.min_days, 1):
        return False, decimal.Decimal("0.00")
    amount = days_medium * rule.rate_medium + days_high * rule.rate_high
    if rule.cap is not None:
        amount = min(amount, rule.cap)
    return True, amount.quantize(CENT)


@dataclass
class Computed:
    area: object
    rule: SubsidyRule
    period: str
    start: object
    end: object
    created: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0  # already approved: left as they were

    @property
    def label(self):
        return periods.label(self.period, self.start)


def _period_of(area, day):
    dates.RECORDED_DAY.check(day, field="day")
    rule = rule_in_force(area, day)
    if rule is None:
        raise ValidationError(
            {
                "day": _(
                    "The county has no subsidy rule in force on this day: a supervisor sets one first."
                )
            }
        )
    start, end = periods.bounds(rule.period, day)
    return rule, start, end


@transaction.atomic
def compute(*, actor, area, day):
    """The subsidies of every worker of `area` (a county, township or community) for the
    period of its county's rule holding `day`: created or brought up to date from the
    records, days up to today; an approved one is left as it is, one of a worker who no
    longer has a day is removed while still to review. Sent again, it changes nothing
    that did not change."""
    if area.level not in COMPUTED_LEVELS:
        raise ValidationError(
            {"area": _("Subsidies are computed for a county, a township or a community.")}
        )
    if not actor.has_perm(COMPUTE, area):
        raise refused()
    rule, start, end = _period_of(area, day)
    last = min(end, timezone.localdate())
    services = computation.served(area, start, last)
    result = Computed(area, rule, rule.period, start, end)
    now = timezone.now()
    with system_scope():  # every worker of the area, whoever may read which subsidy
        existing = {
            s.worker_id: s
            for s in Subsidy.objects.filter(
                area_path__under=area.path, period=rule.period, period_start=start
            )
        }
    high, medium = RANK[RiskLevel.HIGH], RANK[RiskLevel.MEDIUM]
    new, changed, fields = [], [], ["rule", "days_medium", "days_high", "from_roster"]
    fields += ["eligible", "amount", "computed_at", "computed_by", "period_end"]
    for worker_id, service in services.items():
        subsidy = existing.pop(worker_id, None)
        if subsidy is not None and subsidy.status == Subsidy.Status.APPROVED:
            result.kept += 1
            continue
        days_medium, days_high = service.count(medium), service.count(high)
        eligible, amount = amount_of(rule, days_medium, days_high)
        values = {
            "rule": rule,
            "days_medium": days_medium,
            "days_high": days_high,
            "from_roster": service.from_roster,
            "eligible": eligible,
            "amount": amount,
            "computed_at": now,
            "computed_by": actor,
            "period_end": end,
        }
        if subsidy is not None and _same(subsidy, values):
            continue  # the records say what they said: nothing to write
        if subsidy is None:
            worker = service.worker
            new.append(
                Subsidy(
                    worker=worker,
                    area_id=worker.area_id,
                    area_path=worker.area_path,
                    period=rule.period,
                    period_start=start,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(subsidy, name, value)
            changed.append(subsidy)
    gone = [s.pk for s in existing.values() if s.status == Subsidy.Status.PENDING]
    result.kept += len(existing) - len(gone)
    with system_scope():
        # bulk_create skips save(): each row carries its worker's area path, set above.
        Subsidy.objects.bulk_create(new, batch_size=500)
        Subsidy.objects.bulk_update(changed, fields, batch_size=500)
        Subsidy.objects.filter(pk__in=gone).delete()
    result.created, result.updated, result.removed = len(new), len(changed), len(gone)
    record(
        actor=actor,
        action="subsidies.compute",
        target=area,
        area=area,
        period=rule.period,
        period_start=start.isoformat(),
        created=result.created,
        updated=result.updated,
        removed=result.removed,
        kept=result.kept,
    )
    return result


def _same(subsidy, values):
    """Whether a subsidy already holds the figures computed (its rule compared by id, not
    fetched)."""
    return subsidy.rule_id == values["rule"].pk and all(
        getattr(subsidy, name) == value
        for name, value in values.items()
        if name not in ("rule", "computed_at", "computed_by")
    )


def _check_review(actor, subsidy):
    if not actor.has_perm(REVIEW, subsidy):
        raise refused()


@transaction.atomic
def approve(*, actor, subsidy):
    """Approve the figure as computed (or as adjusted before). Approving again is a no-op."""
    _check_review(actor, subsidy)
    if subsidy.status == Subsidy.Status.APPROVED:
        return subsidy
    subsidy.status = Subsidy.Status.APPROVED
    subsidy.reviewed_at = timezone.now()
    subsidy.reviewed_by = actor
    subsidy.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    record(
        actor=actor,
        action="subsidies.approve",
        target=subsidy,
        area=subsidy.area,
        amount=str(subsidy.final_amount),
    )
    return subsidy


@transaction.atomic
def adjust(*, actor, subsidy, amount, reason):
    """Set the amount paid apart from the computed one, with the reason; it is approved so.
    An approved subsidy may be adjusted again (the audit trail keeps each change)."""
    _check_review(actor, subsidy)
    amount = _money(amount, "amount", required=True, most=MOST_A_PERIOD)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the adjustment.")})
    before = subsidy.final_amount
    subsidy.adjusted_amount = amount
    subsidy.adjust_reason = reason[:300]
    subsidy.status = Subsidy.Status.APPROVED
    subsidy.reviewed_at = timezone.now()
    subsidy.reviewed_by = actor
    subsidy.full_clean(exclude=["area", "worker", "rule", "computed_by", "reviewed_by"])
    subsidy.save()
    record(
        actor=actor,
        action="subsidies.adjust",
        target=subsidy,
        area=subsidy.area,
        before=str(before),
        after=str(amount),
        reason=reason,
    )
    return subsidy


@transaction.atomic
def approve_all(*, actor, area, period, period_start):
    """Approve every subsidy to review of an area's period the actor may review."""
    if not actor.has_perm(REVIEW, area):
        raise refused()
    pending = (
        Subsidy.objects.visible_to(actor, REVIEW)
        .within(area)
        .filter(period=period, period_start=period_start, status=Subsidy.Status.PENDING)
    )
    count = pending.update(
        status=Subsidy.Status.APPROVED, reviewed_at=timezone.now(), reviewed_by=actor
    )
    record(
        actor=actor,
        action="subsidies.approve_all",
        target=area,
        area=area,
        period=period,
        period_start=period_start.isoformat(),
        count=count,
    )
    return count
