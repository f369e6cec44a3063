"""Pages of household visits and patrols: the overdue households (mine, or of an area), the
visits made, recording a visit, patrols, and an area's coverage with its visiting cycle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level, is_area_code, path_of_code
from fangkong.areas.selectors import breadcrumbs
from fangkong.care.selectors import LatestFirst
from fangkong.people.models import Household
from fangkong.scope import role_areas, scope_paths
from fangkong.visits import care_services, selectors, services
from fangkong.visits.filters import PatrolFilter, VisitFilter
from fangkong.visits.forms import CycleForm, PatrolForm, VisitForm
from fangkong.visits.models import DEFAULT_CADENCE
from fangkong.visits.permissions import (
    PLAN_CARE,
    RECORD_PATROL,
    RECORD_VISIT,
    SET_CYCLE,
    VIEW_CARE,
    VIEW_PATROL,
    VIEW_VISIT,
)
from fangkong.web import (
    call_service,
    form_page,
    local_url,
    paged,
    require_list,
    scoped_or_404,
    without_page,
)


def within_path(request):
    within = request.GET.get("within", "")
    return path_of_code(within) if is_area_code(within) else None


def newest_first(request, found, rows):
    """A page of the visits (or care visits) a FilterSet found, newest first: the page's ids
    through `LatestFirst` (an index read, walking back in time over a large subtree), then
    their rows from `rows`. Sorting a county's million visits with every column cost a
    second of CPU on SQLite (bench/visits_pages.py)."""
    return page_of(request, LatestFirst(found.qs, found.scope(), field="visited_on"), rows)


def page_of(request, ids, rows):
    """The page of `ids` (a `LatestFirst` or a `selectors.SortedIds`), as rows of `rows`."""
    page = paged(request, ids)
    by_id = {row.pk: row for row in rows.filter(pk__in=list(page.object_list))}
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    return page


@login_required
def visit_due(request):
    """Households overdue for a visit: the user's own (`?mine=1`) or of an area they see."""
    user = request.user
    require_list(user, VIEW_VISIT)
    mine = bool(request.GET.get("mine"))
    households = selectors.overdue_households(user, mine=mine)
    path = within_path(request)
    if path:
        households = households.filter(area_path__under=path)
    page = paged(request, households)
    return render(
        request,
        "visits/due.html",
        {
            "page": page,
            "query": without_page(request),
            "mine": mine,
            "may_record": user.has_perm(RECORD_VISIT),
        },
    )


@login_required
def visit_list(request):
    user = request.user
    require_list(user, VIEW_VISIT)
    found = VisitFilter(request.GET, selectors.visits(user), request=request)
    page = newest_first(request, found, selectors.visits(user))
    return render(
        request,
        "visits/visits.html",
        {"page": page, "query": without_page(request), "filter": found},
    )


@login_required
def visit_record(request, pk):
    """Record a visit to a household the user may visit; back to where they came from."""
    user = request.user
    # A household the user may see but not visit is a 403, as for any action on a record.
    scoped_or_404(Household, user, perm=RECORD_VISIT, pk=pk)
    household = selectors.households(user).select_related("building", "visit_state").get(pk=pk)
    done = local_url(request, request.POST.get("next") or request.GET.get("next"), "")
    done = done or f"{reverse('visit_due')}?mine=1"
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visit = call_service(
            form, services.record_visit, actor=user, household=household, **form.cleaned_data
        )
        if visit:
            messages.success(request, _("Visit recorded."))
            return redirect(done)
    recent = selectors.visits(user).filter(household=household)[:5]
    return render(
        request,
        "visits/record.html",
        {"household": household, "form": form, "recent": recent, "next": done},
    )


# ------------------------------------------------------------------------------ patrols


def patrol_areas(user):
    """The grids and communities the user may record a patrol on (their roles' areas)."""
    paths = scope_paths(user, RECORD_PATROL)
    return [
        area
        for path, area in sorted(role_areas(user).items())
        if path in paths and area.level in (Level.COMMUNITY, Level.GRID)
    ]


@login_required
def patrol_list(request):
    user = request.user
    require_list(user, VIEW_PATROL)
    found = PatrolFilter(request.GET, selectors.patrols(user), request=request)
    return render(
        request,
        "visits/patrols.html",
        {
            "page": paged(request, found.qs),
            "query": without_page(request),
            "may_record": bool(patrol_areas(user)),
        },
    )


@login_required
def patrol_new(request):
    user = request.user
    areas = patrol_areas(user)
    if not areas:
        raise PermissionDenied(_("You may not do this here."))
    chosen = request.POST.get("area") or request.GET.get("area") or areas[0].code
    area = next((a for a in areas if a.code == chosen), areas[0])
    form = PatrolForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        patrol = call_service(
            form, services.record_patrol, actor=user, area=area, **form.cleaned_data
        )
        if patrol:
            messages.success(request, _("Patrol recorded."))
            return redirect("patrol_list")
    return render(request, "visits/patrol_form.html", {"form": form, "areas": areas, "area": area})


@login_required
def patrol_photo(request, pk):
    patrol = get_object_or_404(selectors.patrols(request.user), pk=pk)
    if not patrol.photo:
        raise Http404
    try:
        stream = patrol.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stream, filename=patrol.photo.name.rsplit("/", 1)[-1])


# ----------------------------------------------------------------------- area coverage


@login_required
def visit_coverage(request, code):
    """An area's households visited within their cycle, per child area, and its key-group
    people's care plans met, per group."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_VISIT, code=code)
    children = (
        list(Area.objects.visible_to(user, VIEW_VISIT).filter(parent=area))
        if area.level != Level.GRID
        else []
    )
    kept = selectors.kept_counts(user, area)
    (total, covered), by_child = selectors.coverage(user, area, children, kept=kept)
    rows = [(child, *by_child.get(child.path, (0, 0))) for child in children]
    context = {
        "area": area,
        "breadcrumbs": breadcrumbs(area),
        "total": total,
        "covered": covered,
        "rows": rows,
        "may_set_cycle": area.level == Level.COMMUNITY and user.has_perm(SET_CYCLE, area),
        "cycle": services.cycle_days(area.path) if area.level in ("community", "grid") else None,
        "counted_since": selectors.counted_since(user, area, kept),
    }
    if user.has_perm(VIEW_CARE):
        context["care"] = selectors.care_coverage(user, area, kept=kept)
        context["may_plan"] = user.has_perm(PLAN_CARE, area)
        cadences = care_services.cadences_for(area.path)
        context["cadences"] = [
            (group.label, cadences[group.value], DEFAULT_CADENCE[group])
            for group in DEFAULT_CADENCE
        ]
    return render(request, "visits/coverage.html", context)


@login_required
def visit_cycle(request, code):
    user = request.user
    area = scoped_or_404(Area, user, perm=SET_CYCLE, code=code)
    if area.level != Level.COMMUNITY:
        raise PermissionDenied(_("A visiting cycle is set for a community."))
    form = CycleForm(request.POST or None, initial={"days": services.cycle_days(area.path)})
    return form_page(
        request,
        form,
        services.set_cycle,
        title=_("Visiting cycle of %(area)s") % {"area": area.name},
        area=area,
        page_area=area,
        done=lambda cycle: reverse("visit_coverage", args=[area.code]),
    )
