import tempfile
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fangkong.areas.models import Area, Building, Level, Worker
from fangkong.areas.pages import list_page, within_area
from fangkong.areas.selectors import breadcrumbs, home_areas, workers_of_areas
from fangkong.people import services
from fangkong.people.exports import (
    EXPORT_LIMIT,
    write_households,
    write_key_groups,
    write_residents,
)
from fangkong.people.filters import (
    HouseholdFilter,
    KeyGroupFilter,
    ResidentFilter,
    addressable,
    audited_filters,
    holds_whole_number,
    masked_search,
)
from fangkong.people.forms import (
    AssignForm,
    HouseholdEditForm,
    HouseholdForm,
    KeyGroupForm,
    MoveResidentForm,
    ResidentEditForm,
    ResidentForm,
    ResidentStatusForm,
)
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.people.selectors import (
    current_key_groups,
    households_with_counts,
    key_group_counts,
    suggested_key_groups,
    with_current_key_groups,
)
from fangkong.scope import scope_paths
from fangkong.web import (
    call_service,
    form_page,
    local_url,
    redirect_back,
    require_list,
    scoped_or_404,
)

VIEW_HOUSEHOLDS = "people.view_household"
VIEW_RESIDENTS = "people.view_resident"
VIEW_KEY_GROUPS = "people.view_keygroup"
EXPORT = "people.export_resident"
REVEAL = "people.reveal_resident"


@login_required
def building_detail(request, pk):
    building = scoped_or_404(Building, request.user, pk=pk)
    return render(
        request,
        "people/building_detail.html",
        {
            "building": building,
            "breadcrumbs": breadcrumbs(building.area),
            "households": households_with_counts(request.user, building),
            "can_edit": request.user.has_perm("areas.change_building", building),
            "can_add_household": request.user.has_perm("people.add_household", building),
        },
    )


@login_required
def household_create(request, pk):
    building = scoped_or_404(Building, request.user, perm="people.add_household", pk=pk)
    return form_page(
        request,
        HouseholdForm(request.POST or None),
        services.create_household,
        title=_("Add a household to %(b)s") % {"b": building},
        page_area=building.area,
        done=lambda household: reverse("household_detail", args=[household.pk]),
        building=building,
    )


def responsible_workers(user, area):
    """Active workers of the user's scope who hold a role on this grid or its community."""
    return (
        Worker.objects.visible_to(user, "areas.view_worker")
        .filter(is_active=True, roles__area_id__in=[area.pk, area.parent_id])
        .distinct()
        .order_by("name")
    )


@login_required
def household_detail(request, pk):
    household = scoped_or_404(Household, request.user, pk=pk)
    residents = household.residents.visible_to(request.user, VIEW_RESIDENTS).order_by(
        "status", "id"
    )
    can_assign = request.user.has_perm("people.add_householdassignment", household)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "breadcrumbs": breadcrumbs(household.area),
            "residents": with_current_key_groups(residents, user=request.user),
            "suggestions": suggested_key_groups(residents, user=request.user),
            "can_add_resident": request.user.has_perm("people.add_resident", household),
            "can_edit": request.user.has_perm("people.change_household", household),
            "can_tag": request.user.has_perm("people.add_keygroup", household),
            "assign_form": AssignForm(workers=responsible_workers(request.user, household.area))
            if can_assign
            else None,
        },
    )


@login_required
def household_edit(request, pk):
    household = scoped_or_404(Household, request.user, perm="people.change_household", pk=pk)
    # A household moves within its community: to another building of any of its grids.
    buildings = (
        Building.objects.visible_to(request.user, "people.change_household")
        .filter(area__parent_id=household.area.parent_id)
        .select_related("area")
        .order_by("area__code", "name")
    )
    form = HouseholdEditForm(
        request.POST or None,
        buildings=buildings,
        initial={
            "number": household.number,
            "address": household.address,
            "building": household.building_id,
        },
    )
    return form_page(
        request,
        form,
        services.update_household,
        title=_("Edit household %(h)s") % {"h": household},
        page_area=household.area,
        done=lambda household: reverse("household_detail", args=[household.pk]),
        household=household,
    )


@login_required
@require_POST
def household_assign(request):
    """包片联户 for one household (its page) or many (the list's check boxes)."""
    require_list(request.user, "people.add_householdassignment")
    ids = [i for i in request.POST.getlist("household") if i.isdigit()]
    if not ids:
        messages.error(request, _("Choose at least one household."))
        return redirect(reverse("household_list"))
    households = list(
        Household.objects.visible_to(request.user, VIEW_HOUSEHOLDS)
        .filter(pk__in=ids)
        .select_related("area")
    )
    if not households or len(households) != len(set(ids)):
        raise Http404
    worker = (
        Worker.objects.visible_to(request.user, "areas.view_worker")
        .filter(
            pk=request.POST.get("worker") if str(request.POST.get("worker", "")).isdigit() else None
        )
        .first()
    )
    try:
        if worker is None:
            raise ValidationError(_("Choose a worker."))
        count = services.assign_households(actor=request.user, households=households, worker=worker)
        messages.success(
            request, _("%(n)d households assigned to %(w)s.") % {"n": count, "w": worker}
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect_back(request, reverse("household_detail", args=[households[0].pk]))


@login_required
def household_list(request):
    require_list(request.user, VIEW_HOUSEHOLDS)
    households = Household.objects.visible_to(request.user, VIEW_HOUSEHOLDS).select_related(
        "building", "area", "assignment__worker"
    )
    filterset = HouseholdFilter(
        request.GET, queryset=households.order_by("area_path", "building__name", "number")
    )
    worker = None
    if filterset.is_valid() and filterset.form.cleaned_data.get("worker"):
        # A grid worker serves in the community but is seen through their roles (我包联的住户).
        worker = get_object_or_404(
            workers_of_areas(request.user), pk=filterset.form.cleaned_data["worker"]
        )
    can_assign = request.user.has_perm("people.add_householdassignment")
    area = within_area(request)
    workers = None
    if can_assign and area and area.level in (Level.COMMUNITY, Level.GRID):
        community = area if area.level == Level.COMMUNITY else area.parent
        workers = (
            Worker.objects.visible_to(request.user, "areas.view_worker")
            .filter(is_active=True, roles__area__path__startswith=community.path)
            .distinct()
            .order_by("name")
        )
    return list_page(
        request,
        filterset,
        template="people/household_list.html",
        rows_template="people/household_rows.html",
        worker=worker,
        workers=workers,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_list(request):
    """The residents of the user's areas, filtered.

    The page's form POSTs its filter (htmx as one types, or a plain form without script), so
    that a whole ID number or phone never travels in a URL: the address the answer gives the
    browser (HX-Push-Url, or a redirect) and every link of the page carry such a search as
    its token (`q_token`, fangkong/people/filters.py). An old link with a whole number in
    `q` is sent to the tokenised address at once."""
    require_list(request.user, VIEW_RESIDENTS)
    sent = request.POST if request.method == "POST" else request.GET
    address = None
    if request.method == "POST" or holds_whole_number(request.GET.get("q")):
        params = addressable(sent, ResidentFilter)
        address = f"{reverse('resident_list')}?{params.urlencode()}"
        if not request.htmx:
            return HttpResponseRedirect(address, status=303)
        # The list reads its filter, its page and its links' query from the request's query.
        request.GET = params
    data = request.GET.copy()
    data.setdefault("status", Resident.Status.ACTIVE)
    filterset = ResidentFilter(
        data,
        request=request,
        queryset=Resident.objects.visible_to(request.user, VIEW_RESIDENTS).select_related(
            "household__building", "area"
        ),
    )
    # A token the search box cannot show (a page opened at its tokenised address) is carried
    # by the form, with what it searches for masked beside the box.
    carried = "" if sent.get("q", "").strip() else request.GET.get("q_token", "")
    searched = ""
    if carried and filterset.is_valid():
        searched = masked_search(filterset.form.cleaned_data["q_token"])
    without_token = request.GET.copy()
    without_token.pop("q_token", None)
    without_token.pop("page", None)
    response = list_page(
        request,
        filterset,
        template="people/resident_list.html",
        rows_template="people/resident_rows.html",
        rows=partial(with_current_key_groups, user=request.user),
        search_token=carried,
        searched=searched,
        without_token=without_token,
    )
    if address:
        response["HX-Push-Url"] = address
    return response


@login_required
def resident_create(request, pk):
    household = scoped_or_404(Household, request.user, perm="people.add_resident", pk=pk)
    return form_page(
        request,
        ResidentForm(request.POST or None),
        services.register_resident,
        title=_("Add a member to %(h)s") % {"h": household},
        page_area=household.area,
        done=lambda resident: reverse("household_detail", args=[household.pk]),
        household=household,
    )


@login_required
def resident_detail(request, pk):
    resident = scoped_or_404(Resident, request.user, pk=pk)
    tags = (
        resident.key_groups.visible_to(request.user, VIEW_KEY_GROUPS)
        .select_related("recorded_by__worker")
        .order_by("-ended_on", "found_on")
    )
    can_tag = request.user.has_perm("people.add_keygroup", resident)
    return render(
        request,
        "people/resident_detail.html",
        {
            "resident": resident,
            "breadcrumbs": breadcrumbs(resident.area),
            "tags": tags,
            "suggestions": [
                (person, kind)
                for person, kind in suggested_key_groups(
                    Resident.objects.visible_to(request.user, VIEW_RESIDENTS).filter(
                        # the household, or the person alone while waiting for one
                        **(
                            {"household_id": resident.household_id}
                            if resident.household_id
                            else {"pk": resident.pk}
                        )
                    ),
                    user=request.user,
                )
                if person.pk == resident.pk
            ],
            "can_edit": request.user.has_perm("people.change_resident", resident),
            "can_tag": can_tag,
            "can_end_tag": request.user.has_perm("people.delete_keygroup", resident),
            "tag_form": KeyGroupForm() if can_tag else None,
        },
    )


@login_required
def resident_edit(request, pk):
    resident = scoped_or_404(Resident, request.user, perm="people.change_resident", pk=pk)
    form = ResidentEditForm(
        request.POST or None,
        resident=resident,
        initial={
            "name": resident.name,
            "relation_to_head": resident.relation_to_head,
            "residence": resident.residence,
            "sex": resident.sex,
            "birth_date": resident.birth_date,
        },
    )
    return form_page(
        request,
        form,
        services.update_resident,
        title=_("Edit %(r)s") % {"r": resident},
        page_area=resident.area,
        done=lambda resident: reverse("resident_detail", args=[resident.pk]),
        resident=resident,
    )


@login_required
def resident_move(request, pk):
    resident = scoped_or_404(Resident, request.user, perm="people.change_resident", pk=pk)
    households = (
        Household.objects.visible_to(request.user, "people.add_resident")
        .filter(area__parent_id=resident.area.parent_id)
        .exclude(pk=resident.household_id)
        .select_related("building")
        .order_by("building__name", "number")
    )
    return form_page(
        request,
        MoveResidentForm(request.POST or None, households=households),
        services.move_resident,
        title=(
            _("Move %(r)s to another household")
            if resident.household_id
            else _("Place %(r)s in a household")
        )
        % {"r": resident},
        page_area=resident.area,
        done=lambda resident: reverse("resident_detail", args=[resident.pk]),
        resident=resident,
    )


@login_required
def resident_status(request, pk):
    resident = scoped_or_404(Resident, request.user, perm="people.change_resident", pk=pk)
    return form_page(
        request,
        ResidentStatusForm(request.POST or None, initial={"status": resident.status}),
        services.set_resident_status,
        title=_("Moved out, deceased or back: %(r)s") % {"r": resident},
        page_area=resident.area,
        done=lambda resident: reverse("resident_detail", args=[resident.pk]),
        resident=resident,
    )


@login_required
@require_POST
def key_group_add(request, pk):
    resident = scoped_or_404(Resident, request.user, perm="people.add_keygroup", pk=pk)
    form = KeyGroupForm(request.POST)
    if form.is_valid() and call_service(
        form, services.tag_key_group, actor=request.user, resident=resident, **form.cleaned_data
    ):
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect_back(request, reverse("resident_detail", args=[resident.pk]))


@login_required
@require_POST
def key_group_end(request, pk):
    tag = scoped_or_404(KeyGroup, request.user, perm="people.delete_keygroup", pk=pk)
    try:
        services.end_key_group(actor=request.user, tag=tag)
        messages.success(request, _("Saved."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("resident_detail", args=[tag.resident_id]))


@login_required
@require_POST
def suggestion_dismiss(request, pk):
    resident = scoped_or_404(Resident, request.user, perm="people.add_keygroup", pk=pk)
    try:
        services.dismiss_suggestion(
            actor=request.user, resident=resident, kind=request.POST.get("kind")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_back(request, reverse("resident_detail", args=[resident.pk]))


@login_required
def key_group_list(request):
    """The survey list (摸排名单): the key-group people of an area, current tags by default."""
    data = request.GET.copy()
    data.setdefault("current", "true")
    require_list(request.user, VIEW_KEY_GROUPS)
    tags = KeyGroup.objects.visible_to(request.user, VIEW_KEY_GROUPS).select_related(
        "resident__household__building", "area", "recorded_by__worker"
    )
    filterset = KeyGroupFilter(data, queryset=tags.order_by("area_path", "kind", "resident_id"))
    return list_page(
        request,
        filterset,
        template="people/key_group_list.html",
        rows_template="people/key_group_rows.html",
    )


@login_required
def key_group_summary(request, code):
    """Counts per key group for an area and each area below it; grids list suggestions."""
    area = scoped_or_404(Area, request.user, perm=VIEW_KEY_GROUPS, code=code)
    children = key_group_counts(request.user, area)
    suggestions = []
    if area.level == Level.GRID:
        suggestions = suggested_key_groups(
            Resident.objects.visible_to(request.user, VIEW_RESIDENTS).within(area),
            user=request.user,
        )
    return render(
        request,
        "people/key_group_summary.html",
        {
            "area": area,
            "children": children,
            "kinds": KeyGroup.Kind.choices,
            "breadcrumbs": breadcrumbs(area),
            "suggestions": suggestions,
            "can_tag": request.user.has_perm("people.add_keygroup", area),
        },
    )


def export_area(request):
    """The area an export is recorded under: the list's area, else the user's first home."""
    area = within_area(request)
    if area:
        return area
    homes = home_areas(request.user)
    if not homes:
        raise Http404
    return homes[0]


def export_response(request, *, what, filterset, writer, name):
    """Write a filtered list as a print-ready workbook, audited with its filter and row count.

    The list holds the records below the areas where the user may export; numbers are
    masked unless the user asks for whole numbers, and then are whole only for the people
    of the areas where they may reveal them."""
    area = export_area(request)
    if not filterset.is_valid():
        raise Http404
    reveal = ()
    if request.GET.get("reveal") == "1":
        reveal = scope_paths(request.user, REVEAL)
        if not reveal:
            raise PermissionDenied(_("Your role may not export whole ID numbers and phones."))
    queryset = filterset.qs
    if queryset[EXPORT_LIMIT : EXPORT_LIMIT + 1].exists():
        messages.error(
            request,
            _("The list has more than %(n)d rows; narrow the filter to export it.")
            % {"n": EXPORT_LIMIT},
        )
        return redirect(
            local_url(request, request.META.get("HTTP_REFERER"), reverse(f"{what}_list"))
        )
    # On disk, not in memory; FileResponse closes (and so deletes) it once sent.
    stream = tempfile.TemporaryFile()  # noqa: SIM115
    rows = writer(stream, queryset, reveal=reveal)
    filters = audited_filters(request.GET)
    services.record_export(actor=request.user, area=area, what=what, filters=filters, rows=rows)
    stream.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(stream, as_attachment=True, filename=f"{name}-{stamp}.xlsx")


@login_required
def resident_export(request):
    require_list(request.user, EXPORT)
    data = request.GET.copy()
    data.setdefault("status", Resident.Status.ACTIVE)
    residents = (
        Resident.objects.visible_to(request.user, EXPORT)
        .select_related("household__building", "area")
        .prefetch_related(Prefetch("key_groups", queryset=current_key_groups(request.user, EXPORT)))
    )
    return export_response(
        request,
        what="resident",
        filterset=ResidentFilter(data, queryset=residents, request=request),
        writer=write_residents,
        name=_("residents"),
    )


@login_required
def household_export(request):
    require_list(request.user, EXPORT)
    households = Household.objects.visible_to(request.user, EXPORT).select_related(
        "building", "area", "assignment__worker"
    )
    return export_response(
        request,
        what="household",
        filterset=HouseholdFilter(
            request.GET, queryset=households.order_by("area_path", "building__name", "number")
        ),
        writer=write_households,
        name=_("households"),
    )


@login_required
def key_group_export(request):
    data = request.GET.copy()
    require_list(request.user, EXPORT)
    data.setdefault("current", "true")
    tags = KeyGroup.objects.visible_to(request.user, EXPORT).select_related(
        "resident__household__building", "area"
    )
    return export_response(
        request,
        what="key_group",
        filterset=KeyGroupFilter(data, queryset=tags.order_by("area_path", "kind", "resident_id")),
        writer=write_key_groups,
        name=_("key groups"),
    )
