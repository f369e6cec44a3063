"""Pages of checkpoints: the list, setting one up, the gate page (look a resident up, record
their passage; register a visitor), closed management, and the gate alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.checkpoints import offline_views, pass_views, selectors, self_registration, services
from fangkong.checkpoints.filters import CheckpointFilter, GateAlertFilter
from fangkong.checkpoints.forms import (
    CheckpointEditForm,
    CheckpointForm,
    DisposeForm,
    ResidentPassageForm,
    VisitorPassageForm,
)
from fangkong.checkpoints.models import Checkpoint, GateAlert, HealthCode
from fangkong.checkpoints.permissions import (
    ADD,
    CHANGE,
    CONFIRM,
    DISPOSE,
    RECORD,
    VIEW,
    VIEW_ALERTS,
    VIEW_PASSAGES,
)
from fangkong.dispositions import dispose_posted
from fangkong.response.selectors import active_response, effective_level
from fangkong.web import CappedPaginator, call_service, form_page, require_list, scoped_or_404


@login_required
def checkpoint_list(request):
    require_list(request.user, VIEW)
    rows = CheckpointFilter(request.GET, selectors.checkpoints(request.user)).qs
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "checkpoints/list.html", {"page": page})


@login_required
def checkpoint_add(request, code):
    area = scoped_or_404(Area, request.user, code=code, perm=ADD)
    form = CheckpointForm(request.POST or None, user=request.user, area=area)
    return form_page(
        request,
        form,
        services.add_checkpoint,
        title=_("Set up a checkpoint"),
        page_area=area,
        done=lambda checkpoint: reverse("checkpoint", args=[checkpoint.pk]),
        area=area,
    )


@login_required
def checkpoint_edit(request, pk):
    checkpoint = scoped_or_404(Checkpoint, request.user, pk=pk, perm=CHANGE)
    initial = {
        "name": checkpoint.name,
        "kind": checkpoint.kind,
        "place": checkpoint.place,
        "hours": checkpoint.hours,
        "is_active": checkpoint.is_active,
        "staff": services.assigned_staff(checkpoint),
    }
    form = CheckpointEditForm(
        request.POST or None,
        initial=initial,
        user=request.user,
        area=selectors.community_of(checkpoint),
    )
    return form_page(
        request,
        form,
        services.change_checkpoint,
        title=_("Change %(checkpoint)s") % {"checkpoint": checkpoint.name},
        page_area=checkpoint.area,
        done=lambda changed: reverse("checkpoint", args=[changed.pk]),
        checkpoint=checkpoint,
    )


def gate_page(request, checkpoint, form=None, status=200):
    """The gate: the checkpoint's mode and level, the lookup, the form of the person chosen
    (`?resident=`) and the latest passages."""
    user = request.user
    place = checkpoint.building or checkpoint.area
    may_record = user.has_perm(RECORD, checkpoint)
    context = {
        "checkpoint": checkpoint,
        "effective": effective_level(place),
        "response": active_response(place),
        "may_record": may_record,
        "may_change": user.has_perm(CHANGE, checkpoint),
        "staff": services.staff_of(checkpoint),
        "q": request.GET.get("q", ""),
    }
    if may_record:
        context["found"] = selectors.lookup(checkpoint, context["q"])
        context.update(pass_views.gate_pass(request, checkpoint))
        context.update(offline_views.offline_context(request, checkpoint))
        chosen = request.POST.get("resident") or request.GET.get("resident", "")
        person = selectors.resident_here(checkpoint, chosen) if chosen.isdigit() else None
        if person is not None:
            context["person"] = person
            context["form"] = form or ResidentPassageForm(initial={"resident": person.pk})
    if user.has_perm(VIEW_PASSAGES, checkpoint):
        context["latest"] = selectors.latest_at(user, checkpoint)
        context["may_read_alerts"] = user.has_perm(VIEW_ALERTS)
    if user.has_perm(CONFIRM, checkpoint):
        context["registrations"] = self_registration.pending(user, checkpoint)
        context["codes"] = HealthCode.choices
    return render(request, "checkpoints/gate.html", context, status=status)


@login_required
def checkpoint(request, pk):
    return gate_page(request, scoped_or_404(Checkpoint, request.user, pk=pk))


def saved(request, passage):
    messages.success(
        request,
        _("Recorded: %(name)s, %(direction)s, %(temperature)s ℃.")
        % {
            "name": passage.person_name,
            "direction": passage.get_direction_display(),
            "temperature": passage.temperature,
        },
    )
    if hasattr(passage, "alert"):
        messages.warning(
            request,
            _("Gate alert raised: %(reasons)s. The workers are told.")
            % {"reasons": "、".join(passage.alert.reason_labels)},
        )


@login_required
@require_POST
def checkpoint_record(request, pk):
    checkpoint = scoped_or_404(Checkpoint, request.user, pk=pk, perm=RECORD)
    form = ResidentPassageForm(request.POST)
    if form.is_valid():
        resident = selectors.resident_here(checkpoint, form.cleaned_data["resident"])
        if resident is None:
            form.add_error(None, _("This person does not live in this community."))
        passage = resident and call_service(
            form,
            services.record_passage,
            actor=request.user,
            checkpoint=checkpoint,
            resident=resident,
            pass_code=form.cleaned_data["pass_code"],
            **form.service_arguments(),
        )
        if passage:
            saved(request, passage)
            return redirect("checkpoint", pk=checkpoint.pk)
    return gate_page(request, checkpoint, form, status=400)


@login_required
def checkpoint_visitor(request, pk):
    checkpoint = scoped_or_404(Checkpoint, request.user, pk=pk, perm=RECORD)
    form = VisitorPassageForm(request.POST or None, checkpoint=checkpoint)
    if form.is_valid():
        passage = call_service(
            form,
            services.record_passage,
            actor=request.user,
            checkpoint=checkpoint,
            visitor=form.visitor(),
            **form.service_arguments(),
        )
        if passage:
            saved(request, passage)
            return redirect("checkpoint", pk=checkpoint.pk)
    return render(
        request,
        "checkpoints/visitor.html",
        {"checkpoint": checkpoint, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def checkpoint_mode(request, pk):
    checkpoint = scoped_or_404(Checkpoint, request.user, pk=pk, perm=CHANGE)
    try:
        services.set_mode(actor=request.user, checkpoint=checkpoint, mode=request.POST.get("mode"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("checkpoint", pk=checkpoint.pk)


@login_required
def gate_alert_list(request):
    require_list(request.user, VIEW_ALERTS)
    alerts = GateAlertFilter(request.GET, selectors.gate_alerts(request.user)).qs
    if request.GET.get("all") != "1":
        alerts = selectors.open_gate_alerts(alerts)
    page = CappedPaginator(alerts, 50).get_page(request.GET.get("page"))
    return render(request, "checkpoints/alerts.html", {"page": page})


def alert_page(request, alert, form=None, status=200):
    may_dispose = not alert.closed_at and request.user.has_perm(DISPOSE, alert)
    context = {
        "alert": alert,
        "passage": alert.passage,
        "form": (form or DisposeForm()) if may_dispose else None,
    }
    return render(request, "checkpoints/alert.html", context, status=status)


@login_required
def gate_alert(request, pk):
    return alert_page(request, scoped_or_404(GateAlert, request.user, pk=pk))


@login_required
@require_POST
def gate_alert_dispose(request, pk):
    alert = scoped_or_404(GateAlert, request.user, pk=pk, perm=DISPOSE)
    done, form = dispose_posted(request, DisposeForm, services.dispose_gate_alert, alert)
    if done:
        return redirect("gate_alert", pk=alert.pk)
    return alert_page(request, alert, form, status=400)
