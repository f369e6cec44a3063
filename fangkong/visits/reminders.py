"""The daily reminder loop's part (`manage.py send_reminders`, FANGKONG_REMINDERS): care
plans brought up to the key-group tags, each community's coverage counted for the day, then
each responsible worker told once a day of their missed care visits and overdue households."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from fangkong.areas.models import Area, Level
from fangkong.notifications.services import notify
from fangkong.people.models import Household
from fangkong.scope import system_scope
from fangkong.visits.care_services import generate_plans
from fangkong.visits.models import CarePlan
from fangkong.visits.services import recount


def _per_user(queryset, worker_field):
    rows = (
        queryset.filter(
            **{f"{worker_field}__is_active": True, f"{worker_field}__user__isnull": False}
        )
        .values(f"{worker_field}__user")
        .annotate(n=Count("*"))
        .values_list(f"{worker_field}__user", "n")
        .order_by()
    )
    return dict(rows)


def send_visit_reminders(now=None):
    today = timezone.localdate(now)
    # A scheduled job acts for nobody: every area's plans and overdue records.
    with system_scope():
        for root in Area.objects.filter(parent=None):
            generate_plans(root, today)
        # Each community's coverage counted for the day, after the plans (the pages above a
        # community read it).
        for community in Area.objects.filter(level=Level.COMMUNITY):
            recount(community, today)
        missed = _per_user(
            CarePlan.objects.filter(ended_on=None, due_on__lt=today),
            "resident__household__assignment__worker",
        )
        overdue = _per_user(
            Household.objects.filter(assignment__isnull=False).filter(
                Q(visit_state__isnull=True) | Q(visit_state__due_on__lt=today)
            ),
            "assignment__worker",
        )
    told = 0
    users = get_user_model().objects.filter(pk__in={*missed, *overdue})
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if n := missed.get(user.pk):
                told += notify(
                    [user],
                    key=f"care-missed:{today.isoformat()}",
                    message=ngettext(
                        "%(n)d care visit of yours is overdue.",
                        "%(n)d care visits of yours are overdue.",
                        n,
                    )
                    % {"n": n},
                    link=f"{reverse('care_due')}?mine=1",
                )
            if n := overdue.get(user.pk):
                told += notify(
                    [user],
                    key=f"visits-overdue:{today.isoformat()}",
                    message=ngettext(
                        "%(n)d household of yours is overdue for a visit.",
                        "%(n)d households of yours are overdue for a visit.",
                        n,
                    )
                    % {"n": n},
                    link=f"{reverse('visit_due')}?mine=1",
                )
    return told
