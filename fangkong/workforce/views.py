"""Pages of the duty roster: an area's week (the shifts by day and the coverage check of the
week), adding shifts, copying the last week or repeating one weekly, a shift's page (swap,
substitute, remove), the posts, the duty desk and the county's holidays."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level, Worker
from fangkong.scope import system_scope
from fangkong.web import call_service, form_page, parse_day, scoped_or_404
from fangkong.workforce import selectors, services
from fangkong.workforce.forms import (
    CopyForm,
    DeskForm,
    HolidayForm,
    PostForm,
    RepeatForm,
    ShiftForm,
    SubstituteForm,
    SwapForm,
)
from fangkong.workforce.models import DutyDesk, DutyHoliday, DutyPost, DutyShift
from fangkong.workforce.permissions import HOLIDAYS, POSTS, ROSTER, VIEW

DUTY_LEVELS = (Level.COMMUNITY, Level.TOWNSHIP)


def roster_url(area, week=None):
    url = reverse("duty_roster", args=[area.code])
    return f"{url}?week={week.isoformat()}" if week else url


def duty_area(request, code, perm=VIEW):
    area = scoped_or_404(Area, request.user, code=code, perm=perm)
    return area


def workers_for(area):
    """The active workers who may stand the area's duty: its own and, for a community, its
    township's (services.check_worker)."""
    paths = [area.path] + ([area.parent.path] if area.level == Level.COMMUNITY else [])
    # The area's own staff, named on its roster: listing them is the roster's purpose.
    with system_scope():
        under = Worker.objects.filter(is_active=True, area_path__under=area.path)
        above = Worker.objects.filter(is_active=True, area_path__in=paths)
        return (under | above).order_by("name")


def next_week():
    return selectors.week_start(timezone.localdate()) + datetime.timedelta(days=7)


@login_required
def roster(request, code):
    """An area's duty roster for one week and the coverage check of that week."""
    area = duty_area(request, code)
    week, error = parse_day(request.GET.get("week"), next_week(), services.DUTY_DAY)
    week = selectors.week_start(week)
    days = selectors.roster(request.user, area, week)
    gaps = selectors.gaps(request.user, area, week, week + datetime.timedelta(days=6))
    can_build = request.user.has_perm(ROSTER, area) and area.level in DUTY_LEVELS
    posts = selectors.posts(request.user).within(area).filter(is_active=True)
    context = {
        "area": area,
        "week": week,
        "week_end": week + datetime.timedelta(days=6),
        "previous": week - datetime.timedelta(days=7),
        "following": week + datetime.timedelta(days=7),
        "days": days,
        "gaps": gaps,
        "date_error": error,
        "can_build": can_build,
        "has_posts": posts.exists(),
        "can_post": request.user.has_perm(POSTS, area) and area.level in DUTY_LEVELS,
        "today": timezone.localdate(),
    }
    if can_build:
        context["shift_form"] = shift_form(request, area, initial={"day": week})
        context["repeat_form"] = RepeatForm(initial={"week": week})
    return render(request, "workforce/roster.html", context)


def shift_form(request, area, data=None, initial=None):
    return ShiftForm(
        data,
        initial=initial,
        posts=selectors.posts(request.user, ROSTER).within(area).filter(is_active=True),
        workers=workers_for(area),
    )


@login_required
def shift_add(request, code):
    area = duty_area(request, code, ROSTER)
    form = shift_form(request, area, request.POST or None, initial={"day": next_week()})
    return form_page(
        request,
        form,
        services.add_shift,
        title=_("Add a shift"),
        page_area=area,
        done=lambda shift: roster_url(
            area, selectors.week_start(timezone.localtime(shift.starts_at).date())
        ),
        saved=lambda shift: _("Shift added: %(shift)s") % {"shift": shift},
    )


@login_required
@require_POST
def roster_copy(request, code):
    """Copy the week before `week` into it (复制上周)."""
    area = duty_area(request, code, ROSTER)
    form = CopyForm(request.POST)
    week = next_week()
    if form.is_valid():
        week = selectors.week_start(form.cleaned_data["week"])
        result = call_service(
            form,
            services.copy_period,
            actor=request.user,
            area=area,
            source=week - datetime.timedelta(days=7),
            target=week,
        )
        report(request, form, result)
    else:
        messages.error(request, _("Choose a week."))
    return redirect(roster_url(area, week))


@login_required
@require_POST
def roster_repeat(request, code):
    """Repeat the week over the following weeks (按周重复)."""
    area = duty_area(request, code, ROSTER)
    form = RepeatForm(request.POST)
    week = next_week()
    if form.is_valid():
        week = selectors.week_start(form.cleaned_data["week"])
        result = call_service(
            form,
            services.repeat_weekly,
            actor=request.user,
            area=area,
            first=week,
            weeks=form.cleaned_data["weeks"],
        )
        report(request, form, result)
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect(roster_url(area, week))


def report(request, form, result):
    if result is None:
        for error in form.non_field_errors() + [e for f in form.errors.values() for e in f]:
            messages.error(request, error)
        return
    created, skipped = result
    messages.success(
        request,
        ngettext("%(n)d shift copied.", "%(n)d shifts copied.", len(created)) % {"n": len(created)},
    )
    for original, why in skipped[:10]:
        messages.warning(
            request, _("Not copied: %(shift)s — %(why)s") % {"shift": original, "why": why}
        )


@login_required
def shift(request, pk):
    """A shift: who stands it, and swapping or substituting it with a reason."""
    duty = scoped_or_404(DutyShift, request.user, pk=pk)
    can_change = request.user.has_perm(ROSTER, duty)
    substitute_form = swap_form = None
    if can_change:
        area = duty.area
        substitute_form = SubstituteForm(
            request.POST if request.POST.get("do") == "substitute" else None,
            workers=workers_for(area),
        )
        others = (
            selectors.shifts(request.user, ROSTER)
            .within(area)
            .exclude(worker_id=duty.worker_id)
            .filter(
                starts_at__gte=duty.starts_at - datetime.timedelta(days=14),
                starts_at__lt=duty.starts_at + datetime.timedelta(days=14),
            )
            .select_related("post", "worker")
        )
        swap_form = SwapForm(
            request.POST if request.POST.get("do") == "swap" else None, shifts=others
        )
        if request.method == "POST":
            changed = None
            if request.POST.get("do") == "substitute" and substitute_form.is_valid():
                changed = call_service(
                    substitute_form,
                    services.substitute,
                    actor=request.user,
                    shift=duty,
                    **substitute_form.cleaned_data,
                )
            elif request.POST.get("do") == "swap" and swap_form.is_valid():
                changed = call_service(
                    swap_form,
                    services.swap,
                    actor=request.user,
                    shift=duty,
                    **swap_form.cleaned_data,
                )
            elif request.POST.get("do") == "remove":
                services.remove_shift(actor=request.user, shift=duty)
                messages.success(request, _("Shift removed."))
                return redirect(roster_url(duty.area, selectors.week_start(day_of(duty))))
            if changed:
                messages.success(request, _("Saved."))
                return redirect("duty_shift", pk=duty.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "workforce/shift.html",
        {
            "shift": duty,
            "area": duty.area,
            "week": selectors.week_start(day_of(duty)),
            "substitute_form": substitute_form,
            "swap_form": swap_form,
        },
        status=400 if request.method == "POST" else 200,
    )


def day_of(duty):
    return timezone.localtime(duty.starts_at).date()


@login_required
def posts(request, code):
    area = duty_area(request, code)
    rows = selectors.posts(request.user).within(area).select_related("area")
    return render(
        request,
        "workforce/posts.html",
        {
            "area": area,
            "posts": rows,
            "can_post": request.user.has_perm(POSTS, area) and area.level in DUTY_LEVELS,
        },
    )


@login_required
def post_add(request, code):
    area = duty_area(request, code, POSTS)
    return post_page(request, PostForm(request.POST or None), area=area, title=_("Add a duty post"))


@login_required
def post_edit(request, pk):
    post = scoped_or_404(DutyPost, request.user, pk=pk, perm=POSTS)
    form = PostForm(request.POST or None, post=post)
    return post_page(request, form, post=post, title=_("Change the duty post"), area=post.area)


def post_page(request, form, *, title, area, post=None):
    if form.is_valid():
        arguments = {"post": post} if post else {"area": area}
        saved = call_service(
            form, services.save_post, actor=request.user, **arguments, **form.service_data()
        )
        if saved:
            messages.success(request, _("Saved."))
            return redirect("duty_posts", code=saved.area.code)
    return render(
        request,
        "form.html",
        {"form": form, "area": area, "title": title},
        status=400 if form.is_bound else 200,
    )


@login_required
def desk(request, code):
    """The duty hotline of a community or township and its public page's poster."""
    area = duty_area(request, code, POSTS)
    with system_scope():  # the area's one desk, the area was fetched in scope
        current = DutyDesk.objects.filter(area=area).first()
    form = DeskForm(
        request.POST or None,
        initial={"hotline": current.hotline, "note": current.note} if current else None,
    )
    return form_page(
        request,
        form,
        services.set_desk,
        title=_("Duty hotline"),
        page_area=area,
        done=lambda saved: roster_url(area),
        area=area,
    )


@login_required
def holidays(request, code):
    """The holidays a county keeps for the duty roster, and adding one."""
    area = duty_area(request, code, HOLIDAYS)
    form = HolidayForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.add_holiday, actor=request.user, area=area, **form.cleaned_data
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("duty_holidays", code=area.code)
    rows = DutyHoliday.objects.visible_to(request.user, HOLIDAYS).filter(area=area)
    return render(
        request,
        "workforce/holidays.html",
        {
            "area": area,
            "form": form,
            "holidays": rows.filter(day__gte=timezone.localdate() - datetime.timedelta(days=31)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def holiday_remove(request, pk):
    holiday = scoped_or_404(DutyHoliday, request.user, pk=pk, perm=HOLIDAYS)
    services.remove_holiday(actor=request.user, holiday=holiday)
    messages.success(request, _("Holiday removed."))
    return redirect("duty_holidays", code=holiday.area.code)
