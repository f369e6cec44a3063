"""Workers' pages of service requests: the list, a request with its actions (dispatch,
start, done, confirm on the resident's behalf, cancel), a request recorded for a household,
and the household's personal link."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.care import public, selectors, services
from fangkong.care.filters import ServiceRequestFilter
from fangkong.care.forms import (
    CancelForm,
    ConfirmForm,
    DispatchForm,
    DoneForm,
    EmptyForm,
    WorkerRequestForm,
)
from fangkong.care.models import ServiceRequest
from fangkong.care.permissions import ADD, CHANGE, DELIVER, VIEW
from fangkong.people.models import Household
from fangkong.web import CappedPaginator, call_service, scoped_or_404


@login_required
def request_list(request):
    user = request.user
    if not user.has_perm(VIEW) and not user.has_perm(DELIVER):
        raise PermissionDenied(_("Your role cannot see this list."))
    filtered = ServiceRequestFilter(request.GET, selectors.requests(user), request=request)
    # The page's ids first (an index-only read), then their rows: sorting a county's whole
    # requests with every column cost seconds on SQLite (bench/care_pages.py).
    ids = selectors.LatestFirst(filtered.qs, filtered.scope())
    page = CappedPaginator(ids, 50).get_page(request.GET.get("page"))
    found = selectors.requests(user).filter(pk__in=list(page.object_list))
    found = {r.pk: r for r in found.select_related("household__building", "provider")}
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "care/list.html",
        {"page": page, "filter": filtered, "query": query, "now": timezone.now()},
    )


def readable(request, pk):
    """A request the user may read (their areas', or given to them), else a 404."""
    return get_object_or_404(
        selectors.requests(request.user).select_related(
            "household__building", "provider", "resident"
        ),
        pk=pk,
    )


@login_required
def request_detail(request, pk):
    service = readable(request, pk)
    user = request.user
    may_change = user.has_perm(CHANGE, service)
    may_deliver = may_change or (
        service.provider is not None
        and service.provider.worker_id is not None
        and getattr(user, "worker", None) is not None
        and service.provider.worker_id == user.worker.pk
    )
    context = {
        "service": service,
        "now": timezone.now(),
        "may_change": may_change,
        "may_deliver": may_deliver,
        "status_url": request.build_absolute_uri(public.status_url(service)) if may_change else "",
    }
    if may_change and service.status in (
        ServiceRequest.Status.NEW,
        ServiceRequest.Status.DISPATCHED,
    ):
        context["dispatch_form"] = DispatchForm(providers=services.provider_choices(service))
    if may_deliver and service.status in (
        ServiceRequest.Status.DISPATCHED,
        ServiceRequest.Status.IN_PROGRESS,
    ):
        context["done_form"] = DoneForm()
    if may_change and service.status == ServiceRequest.Status.DONE and not service.confirmed_at:
        context["confirm_form"] = ConfirmForm()
    if may_change and service.is_open:
        context["cancel_form"] = CancelForm()
    return render(request, "care/detail.html", context)


def act(request, pk, form_class, service_function, done_message):
    service = readable(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if call_service(
            form, service_function, actor=request.user, service_request=service, **data
        ):
            messages.success(request, done_message)
            return redirect("care_request", pk=pk)
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("care_request", pk=pk)


@login_required
@require_POST
def request_dispatch(request, pk):
    service = readable(request, pk)
    form = DispatchForm(request.POST, providers=services.provider_choices(service))
    provider_id = request.POST.get("provider", "")
    # A provider not among the choices is checked by the service, which says why.
    form.fields["provider"].choices = [("", "—"), (provider_id, provider_id)]
    if form.is_valid():
        with services.system_scope():  # the provider the form names; the service checks it
            provider = services.Provider.objects.filter(pk=form.cleaned_data["provider"]).first()
        if call_service(
            form, services.dispatch, actor=request.user, service_request=service, provider=provider
        ):
            messages.success(
                request, _("Dispatched to %(provider)s.") % {"provider": provider.name}
            )
            return redirect("care_request", pk=pk)
    messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("care_request", pk=pk)


@login_required
@require_POST
def request_start(request, pk):
    return act(request, pk, EmptyForm, services.start, _("Started."))


@login_required
@require_POST
def request_done(request, pk):
    return act(
        request, pk, DoneForm, services.complete, _("Marked done: the resident can now confirm.")
    )


@login_required
@require_POST
def request_confirm(request, pk):
    return act(request, pk, ConfirmForm, services.confirm, _("Confirmed on the resident's behalf."))


@login_required
@require_POST
def request_cancel(request, pk):
    return act(request, pk, CancelForm, services.cancel, _("Request cancelled."))


@login_required
def request_add(request, pk):
    """A worker records a request for a household (a phone call, a visit)."""
    household = scoped_or_404(Household, request.user, pk=pk, perm=ADD)
    members = public.members(household)
    form = WorkerRequestForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = call_service(
            form,
            services.request_service,
            actor=request.user,
            household=household,
            service_type=data["service_type"],
            details=data["details"],
            channel=data["channel"],
            client_uuid=data["client_uuid"],
            resident=services.resident_of(household, data.get("resident")),
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
        )
        if made:
            messages.success(request, _("Request recorded."))
            return redirect("care_request", pk=made.pk)
    return render(
        request,
        "care/form_page.html",
        {
            "form": form,
            "area": household.area,
            "title": _("Service request for %(household)s") % {"household": household},
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def household_link(request, pk):
    """The household's personal link and its QR code, to give or print for the family."""
    household = scoped_or_404(Household, request.user, pk=pk, perm=ADD)
    url = request.build_absolute_uri(public.household_url(household))
    qr = segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True)
    return render(
        request,
        "care/household_link.html",
        {
            "household": household,
            "url": url,
            "qr": mark_safe(qr),
            "requests": selectors.requests(request.user).filter(household=household)[:20],
            "add_url": reverse("care_request_add", args=[household.pk]),
        },
    )
