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
from fangkong.visits.views import paged, without_page
from fangkong.web import call_service, require_list, scoped_or_404, view_perm

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


@login_required
def election_edit(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    initial = {
        name: getattr(election, name)
        for name in (
            "term",
            "voting_day",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "max_proxies",
            "plan",
        )
    }
    form = PlanForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.change_plan, actor=user, election=election, **form.cleaned_data
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("election_detail", pk=pk)
    return render(
        request,
        "form.html",
        {"form": form, "area": election.area, "title": _("Plan of %(e)s") % {"e": election}},
    )


@login_required
@require_POST
def election_open(request, pk):
    election = scoped_or_404(Election, request.user, perm=RUN_ELECTION, pk=pk)
    return act(
        request,
        services.open_election,
        election.get_absolute_url(),
        _("The election is open."),
        election=election,
    )


@login_required
@require_POST
def election_close(request, pk):
    election = scoped_or_404(Election, request.user, perm=RUN_ELECTION, pk=pk)
    return act(
        request,
        services.close_election,
        election.get_absolute_url(),
        _("The election is closed."),
        election=election,
    )


@login_required
@require_POST
def election_item_add(request, pk):
    election = scoped_or_404(Election, request.user, perm=RUN_ELECTION, pk=pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        return act(
            request,
            services.add_item,
            election.get_absolute_url(),
            _("Saved."),
            election=election,
            text=form.cleaned_data["text"],
        )
    messages.error(request, _("Say what the measure is."))
    return redirect(election.get_absolute_url())


@login_required
@require_POST
def election_item_toggle(request, pk):
    item = scoped_or_404(ContingencyItem, request.user, perm=RUN_ELECTION, pk=pk)
    return act(
        request,
        services.mark_item,
        item.election.get_absolute_url(),
        _("Saved."),
        item=item,
        done=not item.done,
    )


@login_required
def station_new(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        station = call_service(
            form, services.add_station, actor=user, election=election, **form.cleaned_data
        )
        if station:
            messages.success(request, _("Polling station added: now make its slots."))
            return redirect("station_detail", pk=station.pk)
    return render(
        request,
        "form.html",
        {"form": form, "area": election.area, "title": _("Add a polling station")},
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


@login_required
@require_POST
def station_disinfection(request, pk):
    user = request.user
    station = scoped_or_404(PollingStation, user, perm=RUN_ELECTION, pk=pk)
    form = DisinfectionForm(request.POST)
    done = f"{station.get_absolute_url()}#disinfection"
    if not form.is_valid():
        messages.error(request, _("Give the disinfectant and who disinfected."))
        return redirect(done)
    return act(
        request,
        services.log_disinfection,
        done,
        _("Disinfection logged."),
        station=station,
        **form.cleaned_data,
    )


@login_required
def election_counting(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    initial = {
        "place": election.counting_place,
        "limit": election.counting_limit,
        "headcount": election.counting_headcount,
        "witness": election.counting_witness,
        "representatives": election.counting_representatives,
        "video": election.counting_video,
    }
    form = CountingForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and call_service(
            form, services.record_counting, actor=user, election=election, **form.cleaned_data
        )
    ):
        messages.success(request, _("Counting site recorded."))
        return redirect("election_detail", pk=pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "area": election.area,
            "title": _("Counting site of %(e)s") % {"e": election},
        },
    )


@login_required
def staff_new(request, pk):
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    workers = list(
        Worker.objects.visible_to(user, view_perm(Worker))
        .within(election.area)
        .filter(is_active=True)
        .order_by("name")[:500]
    )
    form = StaffForm(request.POST or None, workers=workers)
    if request.method == "POST" and form.is_valid():
        worker = next(w for w in workers if w.pk == form.cleaned_data["worker"])
        if call_service(
            form,
            services.add_staff,
            actor=user,
            election=election,
            worker=worker,
            duty=form.cleaned_data["duty"],
        ):
            messages.success(request, _("Election staff added."))
            return redirect("election_detail", pk=pk)
    return render(
        request,
        "form.html",
        {"form": form, "area": election.area, "title": _("Add election staff")},
    )
