"""What tracing adds to the daily report (issue 15 point 8): the community's cases reported
that day and standing at its end, and the close and secondary contacts traced that day (whose
category became so that day, by re-ranking's log) and under that category now."""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope
from fangkong.tracing.models import Case, Category, RankChange, TracedPerson


def figures():
    group = _("Cases and contacts")
    return [
        Figure("cases_new", _("New cases"), group, trend=True),
        Figure("cases_standing", _("Cases"), group),
        Figure("close_contacts_traced", _("Close contacts traced"), group, trend=True),
        Figure("secondary_contacts_traced", _("Secondary contacts traced"), group),
        Figure("close_contacts", _("Close contacts"), group),
        Figure("secondary_contacts", _("Secondary contacts"), group),
    ]


def compute(community, day, now):
    """The figures of the community's subtree, whoever asks (see monitoring's `compute`).
    The standing figures are today's for today and any earlier day: categories are kept
    as they are now, their history in the log."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    cutoff = min(start + datetime.timedelta(days=1), now or timezone.now())
    with system_scope():
        cases = Case.objects.within(community)
        changes = RankChange.objects.within(community).filter(
            changed_at__gte=start, changed_at__lt=cutoff
        )
        persons = TracedPerson.objects.within(community)
        traced = dict(
            changes.filter(new__in=[Category.CLOSE_CONTACT, Category.SECONDARY_CONTACT])
            .order_by()
            .values_list("new")
            .annotate(n=_count_persons())
        )
        now_in = dict(
            persons.filter(category__in=[Category.CLOSE_CONTACT, Category.SECONDARY_CONTACT])
            .order_by()
            .values_list("category")
            .annotate(n=_count_persons("pk"))
        )
        return {
            "cases_new": cases.filter(reported_on=day).count(),
            "cases_standing": cases.filter(reported_on__lte=day)
            .exclude(ruled_out_on__lte=day)
            .count(),
            "close_contacts_traced": traced.get(Category.CLOSE_CONTACT, 0),
            "secondary_contacts_traced": traced.get(Category.SECONDARY_CONTACT, 0),
            "close_contacts": now_in.get(Category.CLOSE_CONTACT, 0),
            "secondary_contacts": now_in.get(Category.SECONDARY_CONTACT, 0),
        }


def _count_persons(field="person"):
    return Count(field, distinct=True)


SECTION = Section("tracing", _("Cases and contacts"), figures, compute, position=35)
