"""Pages of quarantines: the list (due for release, by kind, by site), one quarantine (its
tests, its room, release), starting one for a person, and the people still to place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.quarantine import selectors, services, verification_services
from fangkong.quarantine.filters import QuarantineFilter
from fangkong.quarantine.forms import (
    EndForm,
    PlaceForm,
    StartForm,
    TestForm,
    VerificationStartForm,
)
from fangkong.quarantine.permissions import ADD, CHANGE, RECORD_TEST, VIEW
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.scope import system_scope
from fangkong.tracing.models import TracedPerson
from fangkong.verification.models import VerificationTask
from fangkong.web import CappedPaginator, form_page, require_list, scoped_or_404


def act(request, back, service, done, **kwargs):
    """Run a service of a button; its refusal is shown on the page it came from."""
    try:
        service(actor=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(request, done)
    return redirect(back)


def errors_of(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def quarantine_list(request):
    require_list(request.user, VIEW)
    filtered = QuarantineFilter(request.GET, selectors.quarantines(request.user))
    rows = filtered.qs.select_related("person", "site", "room", "area")
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "quarantine/list.html", {"page": page, "filter": filtered})


@login_required
def quarantine_to_place(request):
    require_list(request.user, ADD)
    page = CappedPaginator(selectors.to_place(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "quarantine/to_place.html", {"page": page})


@login_required
def quarantine(request, pk):
    record = scoped_or_404(Quarantine, request.user, pk=pk)
    user = request.user
    with system_scope():  # the quarantine's own tests and stages, the quarantine in scope
        tests = list(TestResult.objects.filter(quarantine=record).order_by("day_number"))
        refusal = services.release_refusal(record, services.today()) if record.is_open else None
        followed = list(record.followed_by.all())
    context = {
        "q": record,
        "tests": tests,
        "followed": followed,
        "release_refusal": refusal,
        "may_change": user.has_perm(CHANGE, record),
        "may_test": user.has_perm(RECORD_TEST, record),
    }
    if context["may_change"] and record.is_open and record.kind == Quarantine.Kind.CENTRAL:
        context["place_form"] = PlaceForm(user=user, site=record.site)
    if context["may_test"]:
        context["test_form"] = TestForm()
    if context["may_change"] and record.is_open:
        context["end_form"] = EndForm()
    return render(request, "quarantine/detail.html", context)


@login_required
@require_POST
def quarantine_place(request, pk):
    record = scoped_or_404(Quarantine, request.user, pk=pk, perm=CHANGE)
    form = PlaceForm(request.POST, user=request.user)
    back = reverse("quarantine", args=[pk])
    if not form.is_valid():
        errors_of(request, form)
        return redirect(back)
    room = form.cleaned_data["room"]
    return act(
        request,
        back,
        services.place,
        _("Placed in room %(room)s.") % {"room": room.number},
        quarantine=record,
        room=room,
    )


@login_required
@require_POST
def quarantine_check_in(request, pk):
    record = scoped_or_404(Quarantine, request.user, pk=pk, perm=CHANGE)
    return act(
        request,
        reverse("quarantine", args=[pk]),
        services.check_in,
        _("Checked in."),
        quarantine=record,
    )


@login_required
@require_POST
def quarantine_test(request, pk):
    record = scoped_or_404(Quarantine, request.user, pk=pk, perm=RECORD_TEST)
    form = TestForm(request.POST)
    back = reverse("quarantine", args=[pk])
    if not form.is_valid():
        errors_of(request, form)
        return redirect(back)
    with system_scope():  # a test of this quarantine, which is in the user's scope
        test = TestResult.objects.filter(quarantine=record, pk=form.cleaned_data["test"]).first()
    if test is None:
        messages.error(request, _("No such test of this quarantine."))
        return redirect(back)
    return act(
        request,
        back,
        services.record_test,
        _("Test result recorded."),
        test=test,
        result=form.cleaned_data["result"],
        sampled_on=form.cleaned_data["sampled_on"],
        client_uuid=form.cleaned_data["client_uuid"],
    )


@login_required
@require_POST
def quarantine_release(request, pk):
    record = scoped_or_404(Quarantine, request.user, pk=pk, perm=CHANGE)
    back = reverse("quarantine", args=[pk])
    try:
        result = services.release(actor=request.user, quarantine=record)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    if result.pk != record.pk:
        messages.success(
            request,
            _("Released. %(name)s is handed to their home community for %(kind)s until %(end)s.")
            % {
                "name": record.person.name,
                "kind": result.get_kind_display(),
                "end": result.ends_on,
            },
        )
        if request.user.has_perm(VIEW, result):
            return redirect("quarantine", pk=result.pk)
    else:
        messages.success(request, _("Released."))
    return redirect(back)


@login_required
@require_POST
def quarantine_end(request, pk):
    record = scoped_or_404(Quarantine, request.user, pk=pk, perm=CHANGE)
    form = EndForm(request.POST)
    back = reverse("quarantine", args=[pk])
    if not form.is_valid():
        errors_of(request, form)
        return redirect(back)
    return act(
        request,
        back,
        services.end_quarantine,
        _("Quarantine ended."),
        quarantine=record,
        reason=form.cleaned_data["reason"],
    )


@login_required
def quarantine_start(request, pk):
    person = scoped_or_404(TracedPerson, request.user, pk=pk, perm=ADD)
    initial = {
        "category": person.category
        if person.category in ("close_contact", "secondary_contact")
        else "",
        "source": "contact",
    }
    form = StartForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        services.start_quarantine,
        title=_("Start quarantine: %(name)s") % {"name": person.name},
        page_area=person.area,
        done=lambda q: reverse("quarantine", args=[q.pk]),
        saved=_started,
        person=person,
    )


def _started(quarantine):
    return _("%(kind)s from %(start)s to %(end)s.") % {
        "kind": quarantine.get_kind_display(),
        "start": quarantine.starts_on,
        "end": quarantine.ends_on,
    }


@login_required
def quarantine_from_verification(request, pk):
    """The person a verification task found here, put in quarantine by the rule."""
    task = scoped_or_404(VerificationTask, request.user, pk=pk)
    if not request.user.has_perm(ADD, task):
        raise PermissionDenied
    return form_page(
        request,
        VerificationStartForm(request.POST or None),
        verification_services.start_from_verification,
        title=_("Start quarantine from a verification: %(name)s") % {"name": task.name},
        page_area=task.area,
        done=lambda q: reverse("quarantine", args=[q.pk]),
        saved=_started,
        task=task,
    )
