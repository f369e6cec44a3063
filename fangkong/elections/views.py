"""Pages of an election: the list with each one's progress, creating one, its page (plan,
checklist, stations, counting, staff, the reason it is suspended), opening and closing it,
the stations with their slots and disinfection, the counting site and the staff. The roll,
the voters, slips and declarations are in `voter_views`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level, Worker
from fangkong.areas.selectors import breadcrumbs
from fangkong.elections import rules, selectors, services, slips
from fangkong.elections.filters import ElectionFilter
from fangkong.elections.forms import (
    CountingForm,
    DisinfectionForm,
    ElectionForm,
    ItemForm,
    MakeSlotsForm,
    PlanForm,
    SlotForm,
    StaffForm,
    StationForm,
)
from fangkong.elections.models import ContingencyItem, Election, PollingStation
from fangkong.elections.permissions import ADD_ELECTION, RUN_ELECTION, VIEW_ELECTION
from fangkong.web import (
    call_service,
    form_page,
    paged,
    require_list,
    scoped_or_404,
    view_perm,
    without_page,
)

MOST_AREAS = 300


def refusal_text(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not do this here.")


def act(request, service, back, success, **kwargs):
    """Run a service for a button (open, allot …); a refusal of its rules is shown as a
    message on the page it came from, nothing changed."""
    try:
        result = service(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(back)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(back)


def button(model, service, success, *, record, form=None, invalid="", back=None, arguments=None):
    """The view of a button on a record's page (open, allot, a checklist tick …): POST only;
    the record of the URL's `pk` in the user's scope and with `RUN_ELECTION` (404 outside,
    403 without it); `form`, if any, bound to the POST (a form class, or a function of the
    request and the record) — invalid, `invalid` is shown and nothing changes; then the
    service through `act`, and back to `back(record)` (the record's page by default).

    The service gets the actor and `arguments(request, record, form)` (by default the record
    as `record` and the form's data); a ValidationError raised there (a record the form names
    is not found) is shown like the service's own refusals."""

    @login_required
    @require_POST
    def view(request, pk):
        found = scoped_or_404(model, request.user, perm=RUN_ELECTION, pk=pk)
        done = back(found) if back else found.get_absolute_url()
        bound = None
        if form is not None:
            bound = form(request.POST) if isinstance(form, type) else form(request, found)
            if not bound.is_valid():
                messages.error(request, invalid)
                return redirect(done)
        try:
            kwargs = (
                arguments(request, found, bound)
                if arguments
                else {record: found, **(bound.cleaned_data if bound else {})}
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect(done)
        return act(request, service, done, success, **kwargs)

    return view


@login_required
def election_list(request):
    user = request.user
    require_list(user, VIEW_ELECTION)
    found = ElectionFilter(request.GET, selectors.elections(user), request=request)
    page = paged(request, selectors.with_progress(found.qs))
    rules.flag_blocked(page.object_list)
    for election in page.object_list:
        election.state = rules.state_of(election)
    return render(
        request,
        "elections/elections.html",
        {
            "page": page,
            "query": without_page(request),
            "filter": found,
            "may_create": user.has_perm(ADD_ELECTION),
        },
    )


def communities_of(user, perm):
    return list(
        Area.objects.visible_to(user, perm)
        .filter(level=Level.COMMUNITY)
        .order_by("path")[:MOST_AREAS]
    )


@login_required
def election_new(request):
    user = request.user
    areas = communities_of(user, ADD_ELECTION)
    if not areas:
        raise PermissionDenied(_("You may not do this here."))
    code = request.POST.get("area") or request.GET.get("area") or areas[0].code
    area = next((a for a in areas if a.code == code), areas[0])
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        election = call_service(
            form, services.create_election, actor=user, area=area, **form.cleaned_data
        )
        if election:
            messages.success(request, _("Election created with its contingency checklist."))
            return redirect("election_detail", pk=election.pk)
    effective = rules.effective_level(area)
    return render(
        request,
        "elections/election_form.html",
        {"form": form, "areas": areas, "area": area, "blocked": rules.reason_of(effective, area)},
    )


@login_required
def election_detail(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, pk=pk)
    election = selectors.with_progress(selectors.elections(user).filter(pk=pk)).get()
    rules.flag_blocked([election])
    stations = list(
        selectors.stations(user, election).annotate(slots_total=Count("slots", distinct=True))
    )
    staff = list(selectors.staff(user, election))
    trained = selectors.trained_workers([s.worker_id for s in staff])
    for member in staff:
        member.trained = member.worker_id in trained
    may_run = user.has_perm(RUN_ELECTION, election) and election.status != "closed"
    text_counts, last_batch = slips.text_summary(election)
    return render(
        request,
        "elections/election.html",
        {
            "election": election,
            "text_counts": text_counts,
            "last_batch": last_batch,
            "state": rules.state_of(election),
            "breadcrumbs": breadcrumbs(election.area),
            "items": selectors.items(user, election),
            "stations": stations,
            "staff": staff,
            "may_run": may_run,
            "item_form": ItemForm() if may_run else None,
        },
    )


PLAN_FIELDS = ("term", "voting_day", "opens_at", "closes_at", "slot_minutes", "max_proxies", "plan")
COUNTING_FIELDS = {
    "place": "counting_place",
    "limit": "counting_limit",
    "headcount": "counting_headcount",
    "witness": "counting_witness",
    "representatives": "counting_representatives",
    "video": "counting_video",
}


def to_election(record):
    return record.election.get_absolute_url()


@login_required
def election_edit(request, pk):
    election = scoped_or_404(Election, request.user, perm=RUN_ELECTION, pk=pk)
    initial = {name: getattr(election, name) for name in PLAN_FIELDS}
    return form_page(
        request,
        PlanForm(request.POST or None, initial=initial),
        services.change_plan,
        title=_("Plan of %(e)s") % {"e": election},
        page_area=election.area,
        done=Election.get_absolute_url,
        election=election,
    )


election_open = button(
    Election, services.open_election, gettext_lazy("The election is open."), record="election"
)
election_close = button(
    Election, services.close_election, gettext_lazy("The election is closed."), record="election"
)
election_item_add = button(
    Election,
    services.add_item,
    gettext_lazy("Saved."),
    record="election",
    form=ItemForm,
    invalid=gettext_lazy("Say what the measure is."),
)
election_item_toggle = button(
    ContingencyItem,
    services.mark_item,
    gettext_lazy("Saved."),
    record="item",
    back=to_election,
    arguments=lambda request, item, form: {"item": item, "done": not item.done},
)


@login_required
def station_new(request, pk):
    election = scoped_or_404(Election, request.user, perm=RUN_ELECTION, pk=pk)
    return form_page(
        request,
        StationForm(request.POST or None),
        services.add_station,
        title=_("Add a polling station"),
        page_area=election.area,
        done=PollingStation.get_absolute_url,
        saved=lambda station: _("Polling station added: now make its slots."),
        election=election,
    )


@login_required
def station_detail(request, pk):
    """A station's slots with the voters allotted to each, the forms to make them, and the
    disinfection of its venue and shared items."""
    user = request.user
    station = scoped_or_404(PollingStation, user, pk=pk)
    election = station.election
    may_run = user.has_perm(RUN_ELECTION, station) and election.status != "closed"
    return render(
        request,
        "elections/station.html",
        {
            "station": station,
            "election": election,
            "breadcrumbs": breadcrumbs(station.area),
            "slots": selectors.slots(user, election).filter(station=station),
            "disinfections": selectors.disinfections(user, [station])[:50],
            "may_run": may_run,
            "make_form": MakeSlotsForm(initial={"capacity": station.capacity}),
            "slot_form": SlotForm(),
            "disinfection_form": DisinfectionForm(),
        },
    )


@login_required
@require_POST
def station_slots(request, pk):
    """Slots over the voting hours (`capacity` only), or one slot (`starts`, `ends`)."""
    user = request.user
    station = scoped_or_404(PollingStation, user, perm=RUN_ELECTION, pk=pk)
    done = f"{station.get_absolute_url()}#slots"
    if request.POST.get("starts"):
        form = SlotForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the slot's start, end and capacity."))
            return redirect(done)
        day = station.election.voting_day
        data = form.cleaned_data
        return act(
            request,
            services.add_slot,
            done,
            _("Voting slot added."),
            station=station,
            starts_at=rules.at(day, data["starts"]),
            ends_at=rules.at(day, data["ends"]),
            capacity=data["capacity"],
        )
    form = MakeSlotsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the number of voters in each slot."))
        return redirect(done)
    return act(
        request,
        services.make_slots,
        done,
        lambda n: _("%(n)d voting slots made.") % {"n": n},
        station=station,
        capacity=form.cleaned_data["capacity"],
    )


station_disinfection = button(
    PollingStation,
    services.log_disinfection,
    gettext_lazy("Disinfection logged."),
    record="station",
    form=DisinfectionForm,
    invalid=gettext_lazy("Give the disinfectant and who disinfected."),
    back=lambda station: f"{station.get_absolute_url()}#disinfection",
)


@login_required
def election_counting(request, pk):
    election = scoped_or_404(Election, request.user, perm=RUN_ELECTION, pk=pk)
    initial = {name: getattr(election, field) for name, field in COUNTING_FIELDS.items()}
    return form_page(
        request,
        CountingForm(request.POST or None, initial=initial),
        services.record_counting,
        title=_("Counting site of %(e)s") % {"e": election},
        page_area=election.area,
        done=Election.get_absolute_url,
        saved=lambda election: _("Counting site recorded."),
        election=election,
    )


@login_required
def staff_new(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    workers = (
        Worker.objects.visible_to(user, view_perm(Worker))
        .within(election.area)
        .filter(is_active=True)
        .order_by("name")[:500]
    )
    return form_page(
        request,
        StaffForm(request.POST or None, workers=workers),
        services.add_staff,
        title=_("Add election staff"),
        page_area=election.area,
        done=to_election,
        saved=lambda staff: _("Election staff added."),
        election=election,
    )
