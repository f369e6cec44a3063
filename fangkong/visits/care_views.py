"""Pages of care (关爱走访): missed care visits (mine, or of an area), care visits made,
recording one, an area's cadences and plans, and holiday campaigns with their progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.areas.selectors import breadcrumbs
from fangkong.people.models import Resident
from fangkong.visits import care_services, selectors
from fangkong.visits.filters import CarePlanFilter, CareVisitFilter
from fangkong.visits.forms import CadenceForm, CampaignForm, CareVisitForm
from fangkong.visits.models import care_group_choices
from fangkong.visits.permissions import (
    PLAN_CARE,
    RECORD_CARE,
    VIEW_CAMPAIGN,
    VIEW_CARE,
    VIEW_CARE_VISIT,
)
from fangkong.visits.views import newest_first, page_of
from fangkong.web import (
    call_service,
    form_page,
    local_url,
    paged,
    require_list,
    scoped_or_404,
    without_page,
)


@login_required
def care_due(request):
    """Care plans past their due day (`?all=1`: every open plan), mine or of an area."""
    user = request.user
    require_list(user, VIEW_CARE)
    every = bool(request.GET.get("all"))
    plans = selectors.care_plans(user) if every else selectors.missed(selectors.care_plans(user))
    found = CarePlanFilter(request.GET, plans, request=request)
    page = page_of(
        request,
        selectors.SortedIds(found.qs, "due_on", "id"),
        selectors.care_plans(user).select_related("resident__household__building"),
    )
    return render(
        request,
        "visits/care_due.html",
        {
            "page": page,
            "query": without_page(request),
            "filter": found,
            "mine": bool(request.GET.get("mine")),
            "every": every,
            "today": timezone.localdate(),
            "may_record": user.has_perm(RECORD_CARE),
        },
    )


@login_required
def care_visit_list(request):
    user = request.user
    require_list(user, VIEW_CARE_VISIT)
    found = CareVisitFilter(request.GET, selectors.care_visits(user), request=request)
    page = newest_first(request, found, selectors.care_visits(user))
    return render(
        request,
        "visits/care_visits.html",
        {"page": page, "query": without_page(request), "filter": found},
    )


@login_required
def care_visit_record(request, pk):
    user = request.user
    resident = get_object_or_404(
        Resident.objects.visible_to(user, VIEW_CARE).select_related("household"), pk=pk
    )
    if not user.has_perm(RECORD_CARE, resident):
        raise PermissionDenied
    done = local_url(request, request.POST.get("next") or request.GET.get("next"), "")
    done = done or f"{reverse('care_due')}?mine=1"
    form = CareVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visit = call_service(
            form,
            care_services.record_care_visit,
            actor=user,
            resident=resident,
            **form.cleaned_data,
        )
        if visit:
            messages.success(request, _("Care visit recorded."))
            return redirect(done)
    return render(
        request,
        "visits/care_record.html",
        {
            "resident": resident,
            "form": form,
            "plans": selectors.care_plans(user).filter(resident=resident),
            "recent": selectors.care_visits(user).filter(resident=resident)[:5],
            "next": done,
        },
    )


def planned_area(request, code):
    return scoped_or_404(Area, request.user, perm=PLAN_CARE, code=code)


@login_required
@require_POST
def care_plans_make(request, code):
    area = planned_area(request, code)
    made, ended = care_services.make_plans(actor=request.user, area=area)
    messages.success(
        request, _("Care plans: %(made)d made, %(ended)d ended.") % {"made": made, "ended": ended}
    )
    return redirect("visit_coverage", area.code)


@login_required
def care_cadence(request, code):
    area = planned_area(request, code)
    form = CadenceForm(request.POST or None)
    return form_page(
        request,
        form,
        care_services.set_cadence,
        title=_("Care cadence in %(area)s") % {"area": area.name},
        area=area,
        page_area=area,
        done=lambda cadence: reverse("visit_coverage", args=[area.code]),
    )


@login_required
def care_campaigns(request):
    user = request.user
    require_list(user, VIEW_CAMPAIGN)
    campaigns = selectors.campaigns(user)
    return render(
        request,
        "visits/campaigns.html",
        {"page": paged(request, campaigns), "query": without_page(request)},
    )


@login_required
def care_campaign_new(request, code):
    area = planned_area(request, code)
    form = CampaignForm(request.POST or None)
    return form_page(
        request,
        form,
        care_services.start_campaign,
        title=_("Holiday campaign in %(area)s") % {"area": area.name},
        area=area,
        page_area=area,
        done=lambda campaign: reverse("care_campaign", args=[campaign.pk]),
    )


@login_required
def care_campaign(request, pk):
    """A campaign's progress: its people the user sees, those visited in its window, and
    those still to visit."""
    user = request.user
    campaign = get_object_or_404(selectors.campaigns(user), pk=pk)
    tagged, visited = selectors.campaign_people(user, campaign)
    people, done = selectors.campaign_progress(user, campaign)
    waiting = (
        Resident.objects.visible_to(user, VIEW_CARE)
        .filter(pk__in=tagged)
        .exclude(pk__in=visited)
        .select_related("household")
        .order_by("area_path", "id")
    )
    return render(
        request,
        "visits/campaign.html",
        {
            "campaign": campaign,
            "breadcrumbs": breadcrumbs(campaign.area),
            "people": people,
            "done": done,
            "page": paged(request, waiting),
            "query": without_page(request),
            "may_record": user.has_perm(RECORD_CARE),
            "groups": [label for value, label in care_group_choices() if value in campaign.groups],
        },
    )
