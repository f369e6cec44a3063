"""Pages of sanitation: the tasks (mine, overdue, without an owner …), setting one, giving it
an owner, recording it done with a photo, and the campaigns with their completion per child
area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level, Worker
from fangkong.areas.selectors import breadcrumbs, counts_by_child
from fangkong.gatherings import sanitation_services, selectors
from fangkong.gatherings.filters import CampaignFilter, SanitationTaskFilter
from fangkong.gatherings.forms import AssignForm, CampaignForm, CompleteForm, TaskForm
from fangkong.gatherings.models import SanitationCampaign, SanitationTask
from fangkong.gatherings.permissions import (
    ASSIGN_TASK,
    DO_TASK,
    START_CAMPAIGN,
    VIEW_CAMPAIGN,
    VIEW_TASK,
)
from fangkong.gatherings.views import places_of
from fangkong.visits.services import community_path
from fangkong.web import call_service, chosen_place, form_page, list_page, scoped_or_404

MOST_OWNERS = 200


def owners_in(user, area):
    """The workers the user sees serving in the community of `area`, who may own its tasks."""
    community = community_path(area.path) or area.path
    return list(
        Worker.objects.visible_to(user, "areas.view_worker")
        .filter(area_path__under=community, is_active=True)
        .order_by("name")[:MOST_OWNERS]
    )


@login_required
def sanitation_tasks(request):
    user = request.user
    return list_page(
        request,
        VIEW_TASK,
        SanitationTaskFilter,
        selectors.tasks(user),
        "gatherings/tasks.html",
        may_assign=user.has_perm(ASSIGN_TASK),
    )


@login_required
def sanitation_new(request):
    user = request.user
    areas, area = chosen_place(request, places_of(user, ASSIGN_TASK))
    form = TaskForm(request.POST or None, owners=owners_in(user, area))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = owner_of(user, area, data.pop("owner"))
        task = call_service(
            form, sanitation_services.create_task, actor=user, area=area, owner=owner, **data
        )
        if task:
            messages.success(request, _("Sanitation task set."))
            return redirect("sanitation_task", pk=task.pk)
    return render(
        request,
        "gatherings/task_form.html",
        {"form": form, "areas": areas, "area": area},
    )


def owner_of(user, area, pk):
    if not pk:
        return None
    return next((w for w in owners_in(user, area) if w.pk == pk), None)


@login_required
def sanitation_task(request, pk):
    user = request.user
    task = scoped_or_404(SanitationTask, user, pk=pk)
    worker = getattr(user, "worker", None)
    may_assign = user.has_perm(ASSIGN_TASK, task) and not task.done_on
    may_do = (
        not task.done_on
        and user.has_perm(DO_TASK, task)
        and ((worker and task.owner_id == worker.pk) or user.has_perm(ASSIGN_TASK, task))
    )
    return render(
        request,
        "gatherings/task.html",
        {
            "task": task,
            "breadcrumbs": breadcrumbs(task.area),
            "assign_form": AssignForm(owners=owners_in(user, task.area)) if may_assign else None,
            "complete_form": CompleteForm() if may_do else None,
            "may_see_campaign": bool(task.campaign_id)
            and user.has_perm(VIEW_CAMPAIGN, task.campaign),
        },
    )


@login_required
@require_POST
def sanitation_assign(request, pk):
    user = request.user
    task = scoped_or_404(SanitationTask, user, perm=ASSIGN_TASK, pk=pk)
    owners = owners_in(user, task.area)
    form = AssignForm(request.POST, owners=owners)
    if form.is_valid() and call_service(
        form,
        sanitation_services.assign,
        actor=user,
        task=task,
        owner=owner_of(user, task.area, form.cleaned_data["owner"]),
    ):
        messages.success(request, _("Owner set."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("sanitation_task", pk=pk)


@login_required
def sanitation_complete(request, pk):
    user = request.user
    task = scoped_or_404(SanitationTask, user, perm=DO_TASK, pk=pk)
    form = CompleteForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form, sanitation_services.complete, actor=user, task=task, **form.cleaned_data
        )
        if done:
            messages.success(request, _("Sanitation task done."))
            return redirect("sanitation_task", pk=pk)
    return render(
        request,
        "form.html",
        {"form": form, "area": task.area, "title": _("Done: %(place)s") % {"place": task.place}},
    )


@login_required
def sanitation_photo(request, pk):
    task = get_object_or_404(selectors.tasks(request.user), pk=pk)
    if not task.photo:
        raise Http404
    try:
        stream = task.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stream, filename=task.photo.name.rsplit("/", 1)[-1])


# ----------------------------------------------------------------------------- campaigns


@login_required
def sanitation_campaigns(request):
    user = request.user
    starts = [
        area
        for area in Area.objects.visible_to(user, START_CAMPAIGN)
        .filter(level__in=sanitation_services.CAMPAIGN_LEVELS)
        .order_by("path")[:20]
        if user.has_perm(START_CAMPAIGN, area)
    ]
    return list_page(
        request,
        VIEW_CAMPAIGN,
        CampaignFilter,
        selectors.campaigns(user),
        "gatherings/campaigns.html",
        start_areas=starts[:5],
    )


@login_required
def sanitation_campaign_new(request, code):
    user = request.user
    area = scoped_or_404(Area, user, perm=START_CAMPAIGN, code=code)
    if area.level not in sanitation_services.CAMPAIGN_LEVELS:
        raise PermissionDenied(_("A campaign covers a county, a township or a community."))
    form = CampaignForm(request.POST or None)
    if form.is_valid():
        form.cleaned_data["places"] = sanitation_services.parse_places(form.cleaned_data["places"])
    return form_page(
        request,
        form,
        sanitation_services.start_campaign,
        title=_("Start a sanitation campaign in %(area)s") % {"area": area.name},
        area=area,
        page_area=area,
        done=lambda campaign: reverse("sanitation_campaign", args=[campaign.pk]),
    )


@login_required
def sanitation_campaign(request, pk):
    """A campaign's tasks done, open and overdue, per child area of its area."""
    user = request.user
    campaign = scoped_or_404(SanitationCampaign, user, pk=pk)
    area = campaign.area
    children = (
        list(Area.objects.visible_to(user, VIEW_TASK).filter(parent=area).order_by("code"))
        if area.level != Level.COMMUNITY
        else []
    )
    tasks = selectors.tasks(user).filter(campaign=campaign)
    figures = {
        "all": tasks.count(),
        "done": tasks.exclude(done_on=None).count(),
        "overdue": selectors.overdue(tasks).count(),
        "unassigned": selectors.unassigned(tasks).count(),
    }
    from_child = {}
    if children:
        every_task = counts_by_child(tasks.order_by(), children)
        done = counts_by_child(tasks.exclude(done_on=None).order_by(), children)
        from_child = {c.path: (every_task.get(c.path, 0), done.get(c.path, 0)) for c in children}
    return render(
        request,
        "gatherings/campaign.html",
        {
            "campaign": campaign,
            "breadcrumbs": breadcrumbs(area),
            "figures": figures,
            "rows": [(child, *from_child.get(child.path, (0, 0))) for child in children],
        },
    )
