"""The residents' own pages, with no login: a community's service page (a request, or a
report of fever or symptoms, naming the household by building and number), a household's
personal link (the same, the household known) and a request's status page (confirm, rate).
Posts are rate-limited per client address; nothing is stored on bad input."""

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangkong.care import public, self_reports, services
from fangkong.care.forms import (
    ConfirmForm,
    PublicRequestForm,
    PublicSymptomForm,
    RequestFields,
    SymptomFields,
)
from fangkong.care.models import ServiceRequest
from fangkong.care.selectors import clinics_for
from fangkong.scope import system_scope
from fangkong.web import call_service


def limited(request):
    return (
        public.seconds_until_allowed(get_client_ip_address(request))
        if request.method == "POST"
        else 0
    )


def answer(request, template, context, wait, form):
    status = 429 if wait else (400 if form.is_bound and form.errors else 200)
    if wait:
        context["refused"] = _(
            "Too many forms were sent from this network. Nothing was recorded; please call your "
            "community or try again in an hour."
        )
    response = render(request, template, context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def make_request(form, household, members):
    data = form.cleaned_data
    return call_service(
        form,
        services.request_service,
        actor=None,
        household=household,
        service_type=data["service_type"],
        details=data["details"],
        channel="online",
        client_uuid=data["client_uuid"],
        resident=services.resident_of(household, data.get("resident")),
        contact_name=data.get("contact_name", ""),
        contact_phone=data.get("contact_phone", ""),
    )


def make_report(form, household):
    data = form.cleaned_data
    resident = services.resident_of(household, data.get("resident"))
    return call_service(
        form,
        self_reports.report_symptoms,
        actor=None,
        household=household,
        name=data.get("name") or (resident.name if resident else ""),
        client_uuid=data["client_uuid"],
        temperature=data.get("temperature"),
        symptoms=data.get("symptoms") or [],
        phone=data.get("phone", ""),
        note=data.get("note", ""),
        resident=resident,
    )


def household_of(form, community):
    try:
        return public.household_in(
            community, form.cleaned_data["building"], form.cleaned_data["number"]
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field, errors)
        return None


def community_page(request, code):
    """A community's service page: ask for a service."""
    community = public.community(code)
    if community is None:
        raise Http404
    form = PublicRequestForm(request.POST or None, buildings=public.buildings(community))
    wait = limited(request)
    if wait:
        form = PublicRequestForm(buildings=public.buildings(community))
    elif request.method == "POST" and form.is_valid():
        household = household_of(form, community)
        made = household and make_request(form, household, ())
        if made:
            return redirect("care_request_status", token=public.status_token(made))
    return answer(
        request,
        "care/public_request.html",
        {"community": community, "form": form},
        wait,
        form,
    )


def community_fever(request, code):
    """A community's page to report fever or symptoms."""
    community = public.community(code)
    if community is None:
        raise Http404
    form = PublicSymptomForm(request.POST or None, buildings=public.buildings(community))
    wait = limited(request)
    report = None
    if wait:
        form = PublicSymptomForm(buildings=public.buildings(community))
    elif request.method == "POST" and form.is_valid():
        household = household_of(form, community)
        report = household and make_report(form, household)
    return answer(
        request,
        "care/public_fever.html",
        {
            "community": community,
            "form": form,
            "report": report,
            "clinics": report.clinics if report else clinics_for(community.path),
        },
        wait,
        form,
    )


def household_page(request, token):
    """A household's personal link: ask for a service or report symptoms, and follow the
    household's requests."""
    household = public.open_household(token)
    if household is None:
        raise Http404
    members = public.members(household)
    kind = request.POST.get("form", "request")
    posted = request.POST if request.method == "POST" else None
    form = RequestFields(posted if kind == "request" else None, members=members, prefix="r")
    fever = SymptomFields(posted if kind == "fever" else None, members=members, prefix="s")
    wait = limited(request)
    report = None
    if wait:
        form = RequestFields(members=members, prefix="r")
        fever = SymptomFields(members=members, prefix="s")
    elif posted and kind == "request" and form.is_valid():
        made = make_request(form, household, members)
        if made:
            messages.success(request, _("Your request was sent: your worker has been told."))
            return redirect("care_request_status", token=public.status_token(made))
    elif posted and kind == "fever" and fever.is_valid():
        report = make_report(fever, household)
    with system_scope():  # the household's own requests, the link's
        recent = list(
            ServiceRequest.objects.filter(household=household).order_by("-created_at")[:10]
        )
    for row in recent:
        row.status_token = public.status_token(row)
    return answer(
        request,
        "care/household_page.html",
        {
            "household": household,
            "form": form,
            "fever": fever,
            "report": report,
            "recent": recent,
            "clinics": report.clinics if report else clinics_for(household.area_path),
        },
        wait,
        fever if kind == "fever" else form,
    )


def request_status(request, token):
    """Where a request stands, for the resident; once done, they confirm and may rate it."""
    service = public.open_status(token)
    if service is None:
        raise Http404
    form = ConfirmForm(request.POST or None)
    wait = limited(request)
    if wait:
        form = ConfirmForm()
    elif request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            services.confirm,
            actor=None,
            service_request=service,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
        if done:
            messages.success(request, _("Thank you for confirming."))
            return redirect("care_request_status", token=token)
    return answer(
        request,
        "care/request_status.html",
        {
            "service": service,
            "form": form,
            "may_confirm": service.status == ServiceRequest.Status.DONE
            and not service.confirmed_at,
        },
        wait,
        form,
    )
