"""What health monitoring adds to the daily report: people under monitoring by category,
checks due, done and missed, abnormal findings and what was done about them."""

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.monitoring.selectors import Records, area_day_counts, open_on
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope

PLAN_STAGES = (("new", _("New")), ("continuing", _("Continuing")), ("ended", _("Ended")))


def figures():
    checks, abnormal = _("Checks"), _("Abnormal findings")
    return [
        Figure("plans_open", _("Under monitoring"), _("All categories"), trend=True),
        *(
            Figure(f"plans_{code}_{stage}", label, name)
            for code, name in MonitoringCategory.objects.values_list("code", "name")
            for stage, label in PLAN_STAGES
        ),
        Figure("checks_due", _("Checks due"), checks),
        Figure("checks_done", _("Checks done"), checks),
        Figure("checks_missed", _("Checks missed"), checks, trend=True),
        Figure("abnormal", _("Abnormal checks"), abnormal, trend=True),
        Figure("fever", _("Fever"), abnormal, trend=True),
        *(Figure(f"alerts_{value}", label, abnormal) for value, label in Alert.Disposition.choices),
        Figure("alerts_pending", _("Not yet dealt with"), abnormal),
        Figure("alerts_open", _("Open alerts, all days"), abnormal),
    ]


def by_category(plans):
    return dict(
        plans.values("category__code")
        .annotate(n=Count("*"))
        .values_list("category__code", "n")
        .order_by()
    )


def compute(community, day, now):
    """The community's figures for `day`, frozen into its report.

    Read in the system scope, the whole community whatever the role of the one who asks:
    the reports service has checked that the caller may read or send this community's
    report, and a report's sums must not depend on who happened to compute them (a grid
    worker's view would count one grid). Every query below is narrowed to the community."""
    with system_scope():
        records = Records(
            MonitoringPlan.objects.within(community),
            HealthCheck.objects.within(community),
            Alert.objects.within(community),
        )
    plans = records.plans
    stages = {
        "new": by_category(open_on(plans, day).filter(starts_on=day)),
        "continuing": by_category(open_on(plans, day).filter(starts_on__lt=day)),
        # Ended on the day: stopped that day, or its last day was the day.
        "ended": by_category(
            plans.filter(
                Q(stopped_on=day) | Q(stopped_on__isnull=True, held_open=False, ends_on=day)
            )
        ),
    }
    values = {
        f"plans_{code}_{stage}": stages[stage].get(code, 0)
        for code in MonitoringCategory.objects.values_list("code", flat=True)
        for stage, _label in PLAN_STAGES
    }
    (counts,) = area_day_counts(records, [community], day, now)
    checks = records.checks.filter(day=day)
    # The day's abnormal checks from their index, then their alerts by the unique key.
    abnormal = checks.filter(abnormal=True).values("pk")
    alerts = dict(
        records.alerts.filter(check_record__in=abnormal)
        .values("disposition")
        .annotate(n=Count("*"))
        .values_list("disposition", "n")
        .order_by()
    )
    values.update(
        plans_open=counts.plans,
        checks_due=counts.due,
        checks_done=counts.done,
        checks_missed=counts.missed,
        abnormal=counts.abnormal,
        fever=checks.filter(temperature__gte=F("plan__category__fever_at")).count(),
        alerts_pending=alerts.get("", 0),
        alerts_open=counts.open_alerts,
        **{f"alerts_{value}": alerts.get(value, 0) for value in Alert.Disposition.values},
    )
    return values


SECTION = Section("monitoring", _("Health monitoring"), figures, compute, position=10)
