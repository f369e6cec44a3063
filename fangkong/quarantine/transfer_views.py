"""Pages of transfers: the list, planning one for people waiting, its trips and vehicles,
dispatch and arrival, and the notice (who, when, where to wait, what to bring) to print."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.quarantine import selectors, transfer_services
from fangkong.quarantine.filters import TransferFilter
from fangkong.quarantine.forms import TransferForm, TripForm, VehicleForm
from fangkong.quarantine.permissions import CHANGE_TRANSFER, VIEW_TRANSFER
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.transfers import Transfer, Trip
from fangkong.quarantine.views import act, errors_of
from fangkong.web import CappedPaginator, form_page, require_list, scoped_or_404


@login_required
def transfer_list(request):
    require_list(request.user, VIEW_TRANSFER)
    filtered = TransferFilter(request.GET, selectors.transfers(request.user))
    page = CappedPaginator(filtered.qs, 50).get_page(request.GET.get("page"))
    return render(request, "quarantine/transfers.html", {"page": page})


@login_required
def transfer_add(request, code):
    area = scoped_or_404(Area, request.user, code=code, perm=CHANGE_TRANSFER)
    form = TransferForm(request.POST or None, user=request.user, area=area)
    return form_page(
        request,
        form,
        transfer_services.plan_transfer,
        title=_("Plan a transfer"),
        page_area=area,
        done=lambda transfer: reverse("quarantine_transfer", args=[transfer.pk]),
        area=area,
    )


@login_required
def vehicle_add(request, code):
    area = scoped_or_404(Area, request.user, code=code, perm=CHANGE_TRANSFER)
    return form_page(
        request,
        VehicleForm(request.POST or None),
        transfer_services.add_vehicle,
        title=_("List a vehicle"),
        page_area=area,
        done=lambda vehicle: reverse("quarantine_transfer_list"),
        area=area,
    )


def people_of(user, transfer):
    return list(
        Quarantine.objects.visible_to(user, VIEW_TRANSFER)
        .filter(transfer=transfer)
        .select_related("person", "room", "trip__vehicle")
        .order_by("trip__number", "pk")
    )


@login_required
def transfer(request, pk):
    record = scoped_or_404(Transfer, request.user, pk=pk)
    user = request.user
    context = {
        "transfer": record,
        "people": people_of(user, record),
        "trips": list(
            Trip.objects.visible_to(user, VIEW_TRANSFER)
            .filter(transfer=record)
            .select_related("vehicle")
        ),
        "may_change": user.has_perm(CHANGE_TRANSFER, record),
    }
    if context["may_change"] and record.status == Transfer.Status.PLANNED:
        context["trip_form"] = TripForm(user=user, transfer=record)
    return render(request, "quarantine/transfer.html", context)


@login_required
def transfer_notice(request, pk):
    record = scoped_or_404(Transfer, request.user, pk=pk)
    return render(
        request,
        "quarantine/notice.html",
        {"transfer": record, "people": people_of(request.user, record)},
    )


@login_required
@require_POST
def transfer_trip(request, pk):
    record = scoped_or_404(Transfer, request.user, pk=pk, perm=CHANGE_TRANSFER)
    form = TripForm(request.POST, user=request.user, transfer=record)
    back = reverse("quarantine_transfer", args=[pk])
    if not form.is_valid():
        errors_of(request, form)
        return redirect(back)
    return act(
        request,
        back,
        transfer_services.add_trip,
        _("Trip planned."),
        transfer=record,
        vehicle=form.cleaned_data["vehicle"],
        quarantines=list(form.cleaned_data["quarantines"]),
    )


def transfer_step(service, done):
    @login_required
    @require_POST
    def view(request, pk):
        record = scoped_or_404(Transfer, request.user, pk=pk, perm=CHANGE_TRANSFER)
        return act(
            request, reverse("quarantine_transfer", args=[pk]), service, done, transfer=record
        )

    return view


transfer_publish = transfer_step(transfer_services.publish_notice, _("Notice published."))
transfer_dispatch = transfer_step(transfer_services.dispatch, _("Dispatched: rooms allocated."))
transfer_arrive = transfer_step(transfer_services.arrive, _("Arrived: everyone checked in."))
