"""Pages of the central quarantine sites: the occupancy board of every site the user sees
(grouped by county), one site's board (floors, rooms, who is in them), setting one up, adding
rooms, logging a room's disinfection and placing the people waiting in one go."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.quarantine import rooms, selectors
from fangkong.quarantine.filters import SiteFilter
from fangkong.quarantine.forms import RoomForm, RoomsForm, SiteForm
from fangkong.quarantine.models import QuarantineSite, Room
from fangkong.quarantine.permissions import CHANGE, CHANGE_SITE, VIEW_SITE
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.views import act, errors_of
from fangkong.scope import system_scope
from fangkong.web import form_page, require_list, scoped_or_404


def county_path(path):
    """The county's path of a site's path: the root's four levels (province, city, county)."""
    return "/".join(path.split("/")[:4]) + "/"


@login_required
def site_list(request):
    require_list(request.user, VIEW_SITE)
    filtered = SiteFilter(request.GET, selectors.sites(request.user))
    sites = list(selectors.with_occupancy(filtered.qs.order_by("area_path", "name"))[:200])
    counties = defaultdict(lambda: defaultdict(int))
    for site in sites:
        totals = counties[county_path(site.area_path)]
        for key in (
            "rooms_total",
            "rooms_free",
            "rooms_occupied",
            "rooms_to_disinfect",
            "rooms_held",
        ):
            totals[key] += getattr(site, key) or 0
    with system_scope():  # the names of the counties of sites the user sees
        names = dict(Area.objects.filter(path__in=list(counties)).values_list("path", "name"))
    boards = [(names.get(path, path), dict(totals)) for path, totals in sorted(counties.items())]
    return render(request, "quarantine/sites.html", {"sites": sites, "counties": boards})


@login_required
def site_add(request, code):
    area = scoped_or_404(Area, request.user, code=code, perm=CHANGE_SITE)
    return form_page(
        request,
        SiteForm(request.POST or None),
        rooms.add_site,
        title=_("Set up a quarantine site"),
        page_area=area,
        done=lambda site: reverse("quarantine_site", args=[site.pk]),
        area=area,
    )


@login_required
def site(request, pk):
    record = scoped_or_404(QuarantineSite, request.user, pk=pk)
    user = request.user
    may_change = user.has_perm(CHANGE_SITE, record)
    floors = selectors.board(record)
    disinfect = (
        (reverse("quarantine_site_disinfect", args=[record.pk]), get_token(request))
        if may_change
        else None
    )
    for _floor, floor_rooms in floors:
        for room in floor_rooms:
            room.card = room_card(room, disinfect)
    context = {
        "site": record,
        "floors": floors,
        "free": selectors.free_rooms(record),
        "may_change": may_change,
    }
    if context["may_change"]:
        context["rooms_form"] = RoomsForm()
        context["waiting"] = list(
            Quarantine.objects.visible_to(user, CHANGE)
            .filter(kind="central", status="waiting", room=None)
            .filter(transfer__site=record)
            .select_related("person")[:200]
        )
    return render(request, "quarantine/site.html", context)


def room_card(room, disinfect):
    """A room of the board as HTML, made here rather than in the template: a site's 400
    rooms were half of its page's time in the template language. `disinfect`: (the form's
    URL, the CSRF token) for who may log a disinfection, else None."""
    held = ""
    if room.now_state == "held" and room.held_until:
        held = " " + date_format(localtime(room.held_until), "m-d H:i")
    form = ""
    if disinfect and room.now_state == "to_disinfect":
        form = format_html(
            '<form method="post" action="{}" class="mt-1">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="room" value="{}">'
            '<button class="btn btn-sm btn-outline-danger w-100">{}</button></form>',
            *disinfect,
            room.pk,
            _("Disinfected"),
        )
    return format_html(
        '<div class="card room-card border-{}" id="room-{}"><div class="card-body p-2">'
        '<div class="d-flex gap-1"><strong class="me-auto">{}</strong>'
        '<span class="small">{}{}{}</span></div><div class="small">{}{}</div>{}{}</div></div>',
        room.tone,
        room.number,
        room.number,
        room.capacity,
        _("beds"),
        " ♿" if room.accessible else "",
        room.state_label,
        held,
        format_html_join(
            "",
            '<a class="d-block small" href="{}">{}</a>',
            ((person["url"], person["person__name"]) for person in room.people),
        ),
        form,
    )


@login_required
@require_POST
def site_rooms(request, pk):
    record = scoped_or_404(QuarantineSite, request.user, pk=pk, perm=CHANGE_SITE)
    form = RoomsForm(request.POST)
    back = reverse("quarantine_site", args=[pk])
    if not form.is_valid():
        errors_of(request, form)
        return redirect(back)
    return act(request, back, rooms.add_rooms, _("Rooms added."), site=record, **form.cleaned_data)


@login_required
@require_POST
def site_disinfect(request, pk):
    record = scoped_or_404(QuarantineSite, request.user, pk=pk, perm=CHANGE_SITE)
    form = RoomForm(request.POST)
    back = reverse("quarantine_site", args=[pk])
    room = None
    if form.is_valid():
        with system_scope():  # a room of this site, which is in the user's scope
            room = Room.objects.filter(site=record, pk=form.cleaned_data["room"]).first()
    if room is None:
        messages.error(request, _("Choose a room of this site."))
        return redirect(back)
    return act(request, back, rooms.log_disinfection, _("Disinfection logged."), room=room)


@login_required
@require_POST
def site_allocate(request, pk):
    record = scoped_or_404(QuarantineSite, request.user, pk=pk, perm=CHANGE_SITE)
    ids = [i for i in request.POST.getlist("quarantines") if i.isdigit() and len(i) < 12]
    people = list(
        Quarantine.objects.visible_to(request.user, CHANGE)
        .filter(pk__in=ids)
        .select_related("person")
    )
    back = reverse("quarantine_site", args=[pk])
    if not people:
        messages.error(request, _("Choose the people to place."))
        return redirect(back)
    return act(
        request, back, rooms.allocate, _("Rooms allocated."), site=record, quarantines=people
    )
