"""Pages of gatherings and meetings: the lists, registering (with the advice or the refusal
of the place's level), following up, a meeting's outcome, a county's meeting limits, and an
area's roll-up of gatherings, meetings and sanitation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs
from fangkong.gatherings import meeting_services, rules, selectors, services
from fangkong.gatherings.family_views import decision_forms
from fangkong.gatherings.filters import GatheringFilter, MeetingFilter
from fangkong.gatherings.forms import (
    FollowUpForm,
    GatheringForm,
    LimitForm,
    MeetingForm,
    OutcomeForm,
)
from fangkong.gatherings.models import Gathering, Meeting
from fangkong.gatherings.permissions import (
    REGISTER_GATHERING,
    REGISTER_MEETING,
    SET_LIMITS,
    VIEW_GATHERING,
    VIEW_LIMITS,
    VIEW_MEETING,
)
from fangkong.response.models import RiskLevel
from fangkong.response.selectors import level_at
from fangkong.visits.forms import new_uuid
from fangkong.web import (
    call_service,
    chosen_place,
    list_page,
    paged,
    require_list,
    scoped_or_404,
    without_page,
)

MOST_AREAS = 300


def places_of(user, perm):
    """The communities and grids the user may register in (their roles' subtrees)."""
    return list(
        Area.objects.visible_to(user, perm)
        .filter(level__in=services.PLACE_LEVELS)
        .order_by("path")[:MOST_AREAS]
    )


@login_required
def gathering_list(request):
    user = request.user
    return list_page(
        request,
        VIEW_GATHERING,
        GatheringFilter,
        selectors.gatherings(user),
        "gatherings/gatherings.html",
        may_register=user.has_perm(REGISTER_GATHERING),
    )


@login_required
def gathering_new(request):
    """Register a family event; the advice of the chosen place's level is shown beside the
    form and recorded as given when it is saved."""
    user = request.user
    areas, area = chosen_place(request, places_of(user, REGISTER_GATHERING))
    form = GatheringForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        gathering = call_service(
            form, services.register_gathering, actor=user, area=area, **form.cleaned_data
        )
        if gathering:
            messages.success(request, _("Gathering registered; the advice was recorded."))
            return redirect("gathering_detail", pk=gathering.pk)
    level = level_at(area)
    advice = [
        (label, rules.advice_for(kind, level).label) for kind, label in Gathering.Kind.choices
    ]
    return render(
        request,
        "gatherings/gathering_form.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "level": RiskLevel(level),
            "advice": advice,
        },
    )


@login_required
def gathering_detail(request, pk):
    user = request.user
    gathering = scoped_or_404(Gathering, user, pk=pk)
    level = level_at(gathering.area)
    may = user.has_perm(REGISTER_GATHERING, gathering)
    confirm_form, dismiss_form = decision_forms(user, gathering)
    return render(
        request,
        "gatherings/gathering.html",
        {
            "gathering": gathering,
            "breadcrumbs": breadcrumbs(gathering.area),
            "level": RiskLevel(level),
            "advice_now": rules.advice_for(gathering.kind, level),
            "may_act": may,
            "form": FollowUpForm(initial={"status": Gathering.Status.HELD}) if may else None,
            "confirm_form": confirm_form,
            "dismiss_form": dismiss_form,
        },
    )


@login_required
@require_POST
def gathering_advice(request, pk):
    user = request.user
    gathering = scoped_or_404(Gathering, user, perm=REGISTER_GATHERING, pk=pk)
    form = FollowUpForm()
    if call_service(form, services.give_advice, actor=user, gathering=gathering):
        messages.success(request, _("The advice was recorded as given."))
    else:
        messages.error(request, " ".join(form.non_field_errors()))
    return redirect("gathering_detail", pk=pk)


@login_required
def gathering_follow_up(request, pk):
    user = request.user
    gathering = scoped_or_404(Gathering, user, perm=REGISTER_GATHERING, pk=pk)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = call_service(
            form,
            services.follow_up,
            actor=user,
            gathering=gathering,
            status=data["status"],
            actual_headcount=data["actual_headcount"],
            abnormal=data["abnormal"],
            note=data["note"],
        )
        if done:
            messages.success(request, _("Follow-up recorded."))
            return redirect("gathering_detail", pk=pk)
    return render(
        request,
        "form.html",
        {"form": form, "area": gathering.area, "title": _("Follow up %(g)s") % {"g": gathering}},
    )


# ------------------------------------------------------------------------------ meetings


@login_required
def meeting_list(request):
    user = request.user
    require_list(user, VIEW_MEETING)
    found = MeetingFilter(request.GET, selectors.meetings(user), request=request)
    page = paged(request, found.qs)
    selectors.flag_now_refused(page.object_list)
    return render(
        request,
        "gatherings/meetings.html",
        {
            "page": page,
            "query": without_page(request),
            "filter": found,
            "may_register": user.has_perm(REGISTER_MEETING),
        },
    )


@login_required
def meeting_new(request):
    """Register a meeting: one the limits of the place's level refuse is refused with the
    rule, kept as refused, and the form stays for a smaller or shorter one."""
    user = request.user
    areas, area = chosen_place(request, places_of(user, REGISTER_MEETING))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = call_service(
            form, meeting_services.register_meeting, actor=user, area=area, **form.cleaned_data
        )
        if meeting:
            messages.success(request, _("Meeting registered."))
            return redirect("meeting_detail", pk=meeting.pk)
        refused = selectors.meetings(user).filter(
            client_uuid=form.cleaned_data["client_uuid"], status=Meeting.Status.REFUSED
        )
        if refused.exists():
            # The refusal is kept under this request id: a changed meeting is a new request.
            form.data = form.data.copy()
            form.data["client_uuid"] = str(new_uuid())
    level = level_at(area)
    return render(
        request,
        "gatherings/meeting_form.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "level": RiskLevel(level),
            "limit": rules.limits_for(area.path)[RiskLevel(level)],
        },
    )


@login_required
def meeting_detail(request, pk):
    user = request.user
    meeting = scoped_or_404(Meeting, user, pk=pk)
    selectors.flag_now_refused([meeting])
    return render(
        request,
        "gatherings/meeting.html",
        {
            "meeting": meeting,
            "breadcrumbs": breadcrumbs(meeting.area),
            "may_act": meeting.status in (Meeting.Status.PLANNED, Meeting.Status.HELD)
            and user.has_perm(REGISTER_MEETING, meeting),
            "form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def meeting_outcome(request, pk):
    user = request.user
    meeting = scoped_or_404(Meeting, user, perm=REGISTER_MEETING, pk=pk)
    form = OutcomeForm(request.POST)
    if form.is_valid() and call_service(
        form,
        meeting_services.record_outcome,
        actor=user,
        meeting=meeting,
        status=form.cleaned_data["status"],
    ):
        messages.success(request, _("Meeting outcome recorded."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("meeting_detail", pk=pk)


@login_required
def meeting_limits(request, code):
    """A county's meeting limits per level (its own or the default); a supervisor sets one."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_LIMITS, code=code)
    if area.level != Level.COUNTY:
        raise PermissionDenied(_("Meeting limits are set for a county."))
    may_set = user.has_perm(SET_LIMITS, area)
    form = LimitForm(request.POST or None) if may_set else None
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied
        if form.is_valid() and call_service(
            form, meeting_services.set_limit, actor=user, area=area, **form.cleaned_data
        ):
            messages.success(request, _("Saved."))
            return redirect("meeting_limits", code=code)
    limits = rules.limits_for(area.path)
    return render(
        request,
        "gatherings/limits.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "limits": [(RiskLevel(level).label, limits[level]) for level in RiskLevel],
            "form": form,
        },
    )


@login_required
def gatherings_summary(request, code):
    """An area's gatherings, meetings and sanitation, and per child area (counts rolled up)."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_GATHERING, code=code)
    children = (
        list(Area.objects.visible_to(user, VIEW_GATHERING).filter(parent=area).order_by("code"))
        if area.level != Level.GRID
        else []
    )
    figures, per_child = selectors.summary(user, area, children)
    names = list(figures)
    rows = [(child, [per_child[name].get(child.path, 0) for name in names]) for child in children]
    return render(
        request,
        "gatherings/summary.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "figures": figures,
            "rows": rows,
            "may_set_limits": area.level == Level.COUNTY,
            "may_print_poster": area.level in services.PLACE_LEVELS,
            "gathering_url": reverse("gathering_list"),
        },
    )
