"""Sending the voters' slips by SMS from the pages (`fangkong.elections.slips`): a page that
says how many texts go out and how many voters have no mobile number, and its button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fangkong.areas.selectors import breadcrumbs
from fangkong.elections import rules, selectors, slips
from fangkong.elections.forms import SendSlipsForm
from fangkong.elections.models import Election
from fangkong.elections.permissions import RUN_ELECTION
from fangkong.elections.views import refusal_text
from fangkong.web import scoped_or_404


def _part(user, election, data):
    """The station and slot a request names, among those the user sees (else a 404)."""
    station = slot = None
    if data.get("station"):
        station = selectors.stations(user, election).filter(pk=data["station"]).first()
        if station is None:
            raise Http404
    if data.get("slot"):
        slot = selectors.slots(user, election).filter(pk=data["slot"]).first()
        if slot is None:
            raise Http404
    return station, slot


def sent_message(batch):
    text = ngettext(
        "%(n)d slip queued to be sent by SMS.",
        "%(n)d slips queued to be sent by SMS.",
        batch.queued,
    ) % {"n": batch.queued}
    if batch.unchanged:
        text += " " + _("%(n)d already sent with the same words.") % {"n": batch.unchanged}
    if batch.without_phone:
        text += " " + ngettext(
            "%(n)d voter has no mobile number: print their slip.",
            "%(n)d voters have no mobile number: print their slips.",
            batch.without_phone,
        ) % {"n": batch.without_phone}
    return text


@login_required
def election_slips_send(request, pk):
    """GET: what sending would do (texts to send, unchanged, without a mobile number, without
    a slot) with the button; POST: send, once per the form's request id."""
    user = request.user
    election = scoped_or_404(Election, user, perm=RUN_ELECTION, pk=pk)
    back = election.get_absolute_url()
    form = SendSlipsForm(request.POST if request.method == "POST" else None, initial=request.GET)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("The page was out of date: look at the figures again."))
            return redirect(back)
        station, slot = _part(user, election, form.cleaned_data)
        try:
            batch = slips.send_slips(
                actor=user,
                election=election,
                station=station,
                slot=slot,
                client_uuid=form.cleaned_data["client_uuid"],
            )
        except ValidationError as error:
            messages.error(request, refusal_text(error))
            return redirect(back)
        messages.success(request, sent_message(batch))
        return redirect(f"{back}#election-texts")
    station, slot = _part(user, election, request.GET)
    try:
        figures = slips.preview(actor=user, election=election, station=station, slot=slot)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect(back)
    query = f"?slot={slot.pk}" if slot else f"?station={station.pk}" if station else ""
    return render(
        request,
        "elections/slips_send.html",
        {
            "election": election,
            "breadcrumbs": breadcrumbs(election.area),
            "station": station,
            "slot": slot,
            "figures": figures,
            "form": form,
            "blocked": rules.blocked(election),
            "print_url": reverse("election_slips", args=[election.pk]) + query,
        },
    )
