from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fangkong.areas import services
from fangkong.areas.filters import WorkerFilter
from fangkong.areas.forms import (
    AreaImportForm,
    AreaNameForm,
    BuildingForm,
    GridForm,
    NewWorkerForm,
    RoleForm,
    WorkerEditForm,
)
from fangkong.areas.imports import import_area_file, next_child_code, write_template
from fangkong.areas.models import Area, Building, Level, Role, Worker
from fangkong.areas.pages import within_area
from fangkong.areas.permissions import can_manage_worker, grantable_kinds
from fangkong.areas.registry import AreaLink, AreaNotice, WorkerFact, registered
from fangkong.areas.selectors import (
    VIEW_AREA,
    VIEW_ROLE,
    VIEW_WORKER,
    all_roles_of,
    breadcrumbs,
    buildings_with_counts,
    child_summaries,
    home_areas,
    workers_of_areas,
    workers_with_visible_roles,
)
from fangkong.areas.today import today_sections
from fangkong.scope import holds
from fangkong.spreadsheets import xlsx_response
from fangkong.web import (
    call_service,
    form_page,
    require_list,
    require_perm,
    scoped_or_404,
)

WORKERS_PER_PAGE = 50
ANCESTORS = "__".join(["parent"] * 5)  # a grid's community, township, county, city, province


@login_required
def home(request):
    """今日: what today needs of the user in each area of their roles, one tap from each list."""
    return render(
        request,
        "areas/home.html",
        {"sections": today_sections(request.user), "day": timezone.localdate()},
    )


@login_required
def area_detail(request, code):
    user = request.user
    # The ancestors come with the area: its breadcrumbs cost no query of their own.
    area = get_object_or_404(
        Area.objects.visible_to(user, VIEW_AREA).select_related(ANCESTORS), code=code
    )
    children, columns = child_summaries(area, user)
    context = {
        "area": area,
        "breadcrumbs": breadcrumbs(area),
        "children": children,
        "columns": columns,
        "can": {
            perm: user.has_perm(f"areas.{perm}", area)
            for perm in (
                "change_area",
                "add_area",
                "add_building",
                "change_building",
                "view_worker",
            )
        },
        "links": [
            link
            for link in registered(AreaLink)
            if (not link.levels or area.level in link.levels) and holds(user, link.perm, area.path)
        ],
        "notices": [
            (entry, *notice)
            for entry, notice in (
                (entry, entry.notice(user, area))
                for entry in registered(AreaNotice)
                if (not entry.levels or area.level in entry.levels)
                and holds(user, entry.perm, area.path)
            )
            if notice
        ],
    }
    context["links"] = [(link, link.url(area)) for link in context["links"]]
    if area.level == Level.GRID:
        context["buildings"], context["building_columns"] = buildings_with_counts(area, user)
    roles = list(
        Role.objects.visible_to(user, VIEW_ROLE).filter(area=area).select_related("worker")
    )
    context["roles"] = roles
    # Everyone sees who works in their area; a worker's own page only in the worker's scope.
    context["linked_workers"] = set(
        workers_of_areas(user)
        .filter(pk__in=[role.worker_id for role in roles])
        .values_list("pk", flat=True)
    )
    return render(request, "areas/area_detail.html", context)


@login_required
def area_edit(request, code):
    area = scoped_or_404(Area, request.user, code=code)
    require_perm(request.user, "areas.change_area", area)
    form = AreaNameForm(request.POST or None, initial={"name": area.name})
    return form_page(
        request,
        form,
        services.rename_area,
        title=_("Rename"),
        page_area=area,
        done=lambda area: reverse("area_detail", args=[area.code]),
        area=area,
    )


@login_required
def grid_create(request, code):
    community = scoped_or_404(Area, request.user, code=code, level=Level.COMMUNITY)
    require_perm(request.user, "areas.add_area", community)
    form = GridForm(
        request.POST or None, initial={"code": next_child_code(community, request.user)}
    )
    return form_page(
        request,
        form,
        services.create_area,
        title=_("Add a grid"),
        page_area=community,
        done=lambda grid: reverse("area_detail", args=[grid.code]),
        saved=lambda grid: _("Grid %(name)s added.") % {"name": grid.name},
        parent=community,
        level=Level.GRID,
    )


def _building_form(request, grid, building=None):
    workers = Worker.objects.visible_to(request.user, VIEW_WORKER).filter(is_active=True)
    initial = {}
    if building:
        initial = {
            "name": building.name,
            "kind": building.kind,
            "address": building.address,
            "responsible_worker": building.responsible_worker_id,
        }
    return BuildingForm(request.POST or None, initial=initial, workers=workers)


@login_required
def building_create(request, code):
    grid = scoped_or_404(Area, request.user, code=code, level=Level.GRID)
    require_perm(request.user, "areas.add_building", grid)
    return form_page(
        request,
        _building_form(request, grid),
        services.save_building,
        title=_("Add a building"),
        page_area=grid,
        done=building_url,
        grid=grid,
    )


@login_required
def building_edit(request, pk):
    building = scoped_or_404(Building, request.user, pk=pk)
    require_perm(request.user, "areas.change_building", building)
    return form_page(
        request,
        _building_form(request, building.area, building),
        services.save_building,
        title=_("Edit %(name)s") % {"name": building},
        page_area=building.area,
        done=building_url,
        grid=building.area,
        building=building,
    )


def building_url(building):
    return reverse("building_detail", args=[building.pk])


@login_required
def worker_list(request):
    require_list(request.user, VIEW_WORKER)
    filterset = WorkerFilter(
        request.GET, queryset=workers_with_visible_roles(request.user).order_by("area_path", "name")
    )
    area = within_area(request)
    page = Paginator(filterset.qs, WORKERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter_form": filterset.form,
        "area": area,
        "breadcrumbs": breadcrumbs(area) if area else [],
        "query": request.GET.copy(),
    }
    context["query"].pop("page", None)
    # A filter typed into the form refreshes only the rows (htmx); a link loads the page.
    template = "areas/worker_rows.html" if request.htmx else "areas/worker_list.html"
    return render(request, template, context)


@login_required
def worker_create(request):
    require_list(request.user, "areas.add_worker")
    areas = Area.objects.visible_to(request.user, "areas.add_worker").exclude(level=Level.GRID)
    return form_page(
        request,
        NewWorkerForm(request.POST or None, areas=areas),
        services.add_worker,
        title=_("Add a worker"),
        done=worker_url,
        saved=lambda worker: _("Worker %(name)s added.") % {"name": worker.name},
    )


def worker_url(worker):
    return reverse("worker_detail", args=[worker.pk])


def worker_of_areas_or_404(user, pk):
    """A worker of the user's areas (`workers_of_areas`), else a 404."""
    return get_object_or_404(workers_of_areas(user).select_related("area"), pk=pk)


def role_form_for(request, worker, data=None):
    """The form granting `worker` a role on an area of their subtree the user may grant on."""
    return RoleForm(
        data,
        user=request.user,
        areas=Area.objects.visible_to(request.user, "areas.add_role").within(worker.area),
        kinds_url=reverse("worker_role_kinds", args=[worker.pk]),
    )


@login_required
def worker_detail(request, pk):
    worker = worker_of_areas_or_404(request.user, pk)
    role_form = role_form_for(request, worker, request.POST or None)
    can_grant = request.user.has_perm("areas.add_role", worker)
    if request.method == "POST":
        require_perm(request.user, "areas.add_role", worker)
        if role_form.is_valid() and call_service(
            role_form,
            services.grant_role,
            actor=request.user,
            worker=worker,
            **role_form.cleaned_data,
        ):
            messages.success(request, _("Role granted."))
            return redirect("worker_detail", pk=worker.pk)
    every_role = all_roles_of(worker)
    manageable = can_manage_worker(request.user, worker, every_role)
    roles = [
        (role, manageable and role.kind in grantable_kinds(request.user, role.area))
        for role in worker.roles.visible_to(request.user, VIEW_ROLE).select_related("area")
    ]
    facts = [
        (entry, *entry.fact(request.user, worker))
        for entry in registered(WorkerFact)
        if holds(request.user, entry.perm, worker.area_path)
    ]
    return render(
        request,
        "areas/worker_detail.html",
        {
            "worker": worker,
            "roles": roles,
            "role_form": role_form,
            "can_grant": can_grant and manageable,
            "facts": facts,
            "breadcrumbs": breadcrumbs(worker.area),
            "can_edit": request.user.has_perm("areas.change_worker", worker) and manageable,
        },
    )


@login_required
@require_GET
def worker_role_kinds(request, pk):
    """The role select of the grant form for the chosen `area` (its pk): only the kinds the
    user may grant there. An area outside the form's choices is a 404; none, every kind."""
    worker = worker_of_areas_or_404(request.user, pk)
    require_perm(request.user, "areas.add_role", worker)
    form = role_form_for(request, worker)
    if chosen := request.GET.get("area"):
        try:
            area = form.fields["area"].clean(chosen)
        except ValidationError as error:
            raise Http404 from error
        form.offer_kinds(grantable_kinds(request.user, area))
    return render(request, "areas/role_kinds.html", {"form": form})


@login_required
def worker_edit(request, pk):
    worker = worker_of_areas_or_404(request.user, pk)
    require_perm(request.user, "areas.change_worker", worker)
    if not can_manage_worker(request.user, worker, all_roles_of(worker)):
        raise PermissionDenied
    initial = {
        "name": worker.name,
        "affiliation": worker.affiliation,
        "is_active": worker.is_active,
    }
    form = WorkerEditForm(request.POST or None, initial=initial, current_phone=worker.phone_masked)
    return form_page(
        request,
        form,
        services.update_worker,
        title=_("Edit %(name)s") % {"name": worker},
        page_area=worker.area,
        done=worker_url,
        worker=worker,
    )


@login_required
@require_POST
def role_revoke(request, pk):
    role = scoped_or_404(Role, request.user, perm="areas.delete_role", pk=pk)
    services.revoke_role(actor=request.user, role=role)
    messages.success(request, _("Role revoked."))
    return redirect("worker_detail", pk=role.worker_id)


@login_required
def area_import(request):
    require_list(request.user, "areas.add_area")
    form = AreaImportForm(request.POST or None, request.FILES or None)
    result = None
    if form.is_valid():
        result = import_area_file(actor=request.user, upload=form.cleaned_data["file"])
        if result.created:
            messages.success(request, _("%(n)d areas imported.") % {"n": len(result.created)})
    return render(request, "areas/area_import.html", {"form": form, "result": result})


@login_required
def area_import_template(request):
    """An empty workbook with the columns the import reads, and one example row."""
    require_list(request.user, "areas.add_area")
    example = home_areas(request.user)[:1]
    response = xlsx_response("areas-template.xlsx")
    write_template(response, example[0] if example else None, request.user)
    return response
