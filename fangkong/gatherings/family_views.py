"""Pages of families' own reports of their events: the community's public form (no login,
made for a phone, rate-limited per client address), the page the family gets back with the
advice of the risk level, the printable poster with its QR code, and the worker's confirm /
dismiss of a report."""

import segno
from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level
from fangkong.gatherings import family_services, rules
from fangkong.gatherings.family_services import NAME_LENGTH, NOTE_LENGTH, PLACE_LENGTH
from fangkong.gatherings.models import Gathering
from fangkong.gatherings.permissions import REGISTER_GATHERING, VIEW_GATHERING
from fangkong.gatherings.services import PLACE_LEVELS
from fangkong.response.models import RiskLevel
from fangkong.response.selectors import level_at
from fangkong.scope import system_scope
from fangkong.visits.forms import DayInput, new_uuid
from fangkong.web import StyledForm, call_service, scoped_or_404


def text_input(**attrs):
    return forms.TextInput(attrs={"class": "form-control form-control-lg", **attrs})


class FamilyReportForm(forms.Form):
    """What a family types on its own phone. Every field is optional here: the service
    checks them all at once, with a message on each field that is wrong."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid, required=False)
    host = forms.CharField(
        label=gettext_lazy("Your name (the family's host)"),
        max_length=NAME_LENGTH,
        required=False,
        widget=text_input(autocomplete="name"),
    )
    phone = forms.CharField(
        label=gettext_lazy("phone"),
        max_length=20,
        required=False,
        widget=text_input(inputmode="tel", autocomplete="tel"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("kind of event"),
        choices=Gathering.Kind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    held_on = forms.DateField(
        label=gettext_lazy("day of the event"),
        required=False,
        widget=DayInput(attrs={"class": "form-control form-control-lg"}),
        validators=[family_services.coming_day],
        error_messages={"invalid": gettext_lazy("Enter a real day (year-month-day).")},
    )
    place = forms.CharField(
        label=gettext_lazy("place"),
        max_length=PLACE_LENGTH,
        required=False,
        widget=text_input(placeholder=gettext_lazy("For example the village hall, a restaurant")),
    )
    expected_headcount = forms.IntegerField(
        label=gettext_lazy("how many people are expected"),
        required=False,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-lg", "min": 1}),
        error_messages={"invalid": gettext_lazy("Give the headcount as a whole number.")},
    )
    grid = forms.ChoiceField(
        label=gettext_lazy("your grid (if you know it)"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-lg"}),
    )
    note = forms.CharField(
        label=gettext_lazy("anything else (optional)"),
        max_length=NOTE_LENGTH,
        required=False,
        widget=text_input(),
    )

    def __init__(self, *args, grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].choices = [
            ("", _("I don't know")),
            *((g.code, g.name) for g in grids),
        ]


def public_place(code):
    """(community, grid or None) of a public page's code: a community's, or one of its grids'
    (a grid's poster chooses the grid). None for any other code."""
    # A public page names its place by code; names of communities and grids are public.
    with system_scope():
        area = (
            Area.objects.filter(code=code, level__in=PLACE_LEVELS).select_related("parent").first()
        )
        if area is None:
            return None, None
        if area.level == Level.GRID:
            return area.parent, area
        return area, None


def grids_of(community):
    with system_scope():  # the community's own grids, the form's choices
        return list(Area.objects.filter(parent=community, level=Level.GRID).order_by("code"))


def level_advice(area):
    level = RiskLevel(level_at(area))
    return level, [
        (label, rules.advice_for(kind, level).label) for kind, label in Gathering.Kind.choices
    ]


def family_report(request, code):
    """A family reports its wedding, funeral, banquet or other gathering, without a login."""
    community, grid = public_place(code)
    if community is None:
        raise Http404
    grids = grids_of(community)
    initial = {"grid": grid.code if grid else ""}
    form = FamilyReportForm(request.POST or None, grids=grids, initial=initial)
    # The page is public: a flood of posts is refused before anything is read or written.
    wait = 0
    if request.method == "POST":
        wait = family_services.seconds_until_allowed(get_client_ip_address(request))
    if wait:
        form = FamilyReportForm(grids=grids, initial=initial)
    elif form.is_bound and form.is_valid():
        data = form.cleaned_data
        chosen = next((g for g in grids if g.code == data["grid"]), None)
        made = call_service(
            form,
            family_services.report_gathering,
            community=community,
            grid=chosen,
            client_uuid=data["client_uuid"],
            host=data["host"],
            phone=data["phone"],
            kind=data["kind"],
            held_on=data["held_on"],
            place=data["place"],
            expected_headcount=data["expected_headcount"],
            note=data["note"],
        )
        if made:
            return redirect("family_reported", code=community.code, uuid=made.client_uuid)
    level, advice = level_advice(grid or community)
    response = render(
        request,
        "gatherings/family_report.html",
        {
            "community": community,
            "grid": grid,
            "form": form,
            "level": level,
            "advice": advice,
            "refused": _(
                "Too many reports were sent from this network. Nothing was recorded; please "
                "call your community or try again in an hour."
            )
            if wait
            else "",
        },
        status=429 if wait else (400 if form.is_bound else 200),
    )
    if wait:
        response["Retry-After"] = str(wait)
    return response


def family_reported(request, code, uuid):
    """What the family gets back: its report, the advice the risk level gives for it (as
    recorded), and whether a worker confirmed it."""
    community, grid = public_place(code)
    if community is None or grid is not None:
        raise Http404
    # Public page: the community's code and the form's random identifier name this one row.
    with system_scope():
        gathering = (
            Gathering.objects.within(community)
            .filter(client_uuid=uuid, by_family=True)
            .select_related("area")
            .first()
        )
    if gathering is None:
        raise Http404
    return render(
        request,
        "gatherings/family_reported.html",
        {
            "community": community,
            "gathering": gathering,
            "level": RiskLevel(gathering.advice_level) if gathering.advice_level else None,
            "again": reverse("family_report", args=[community.code]),
        },
    )


@login_required
def family_report_poster(request, code):
    """An A4 poster for a community (or one of its grids): families scan it to report their
    events."""
    area = scoped_or_404(Area, request.user, code=code, perm=VIEW_GATHERING)
    if area.level not in PLACE_LEVELS:
        raise PermissionDenied(_("A poster is printed for a community or a grid."))
    url = request.build_absolute_uri(reverse("family_report", args=[area.code]))
    # The advice is not printed: the level changes, the poster stays up; the page says it.
    qr = segno.make(url, error="m").svg_inline(scale=10, border=4, omitsize=True)
    return render(
        request, "gatherings/family_poster.html", {"area": area, "qr": mark_safe(qr), "url": url}
    )


# --------------------------------------------------------------------- the worker's side


class ConfirmReportForm(StyledForm):
    area = forms.ChoiceField(label=gettext_lazy("area"), required=False)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {a.code: a for a in areas}
        self.fields["area"].choices = [(a.code, a.name) for a in areas]


class DismissReportForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("reason dismissed"),
        max_length=family_services.REASON_LENGTH,
        required=False,
    )


def places_for(user, gathering):
    """Where a worker may place a family's report: its community and that community's grids
    the worker may register gatherings in."""
    community = family_services.community_of(gathering.area)
    return list(
        Area.objects.visible_to(user, REGISTER_GATHERING)
        .filter(path__startswith=community.path, level__in=PLACE_LEVELS)
        .order_by("path")
    )


def decision_forms(user, gathering):
    """The confirm and dismiss forms of a family's report waiting, for whoever may decide."""
    if gathering.status != Gathering.Status.REPORTED or not user.has_perm(
        REGISTER_GATHERING, gathering
    ):
        return None, None
    confirm = ConfirmReportForm(
        areas=places_for(user, gathering), initial={"area": gathering.area.code}
    )
    return confirm, DismissReportForm()


def refusals(form):
    return " ".join(m for errors in form.errors.values() for m in errors)


@login_required
@require_POST
def gathering_confirm(request, pk):
    user = request.user
    gathering = scoped_or_404(Gathering, user, perm=REGISTER_GATHERING, pk=pk)
    form = ConfirmReportForm(request.POST, areas=places_for(user, gathering))
    if form.is_valid() and call_service(
        form,
        family_services.confirm_report,
        actor=user,
        gathering=gathering,
        area=form.areas.get(form.cleaned_data["area"]),
    ):
        messages.success(request, _("The family's report was confirmed."))
    else:
        messages.error(request, refusals(form))
    return redirect("gathering_detail", pk=pk)


@login_required
@require_POST
def gathering_dismiss(request, pk):
    user = request.user
    gathering = scoped_or_404(Gathering, user, perm=REGISTER_GATHERING, pk=pk)
    form = DismissReportForm(request.POST)
    if form.is_valid() and call_service(
        form,
        family_services.dismiss_report,
        actor=user,
        gathering=gathering,
        reason=form.cleaned_data["reason"],
    ):
        messages.success(request, _("The family's report was dismissed."))
    else:
        messages.error(request, refusals(form))
    return redirect("gathering_detail", pk=pk)
