"""Pages of one received directive: what came down (the issuer's text and each level's
addition, marked by level), its deadlines and state; acknowledging, forwarding, reporting
(for the receiving area's own workers), every version of its report with the review of
the level above (approve, send back with a reason), its print view and files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.directives import asks, report_services, selectors, services
from fangkong.directives.filters import STATES
from fangkong.directives.forms import ForwardForm, ReportForm, SendBackForm
from fangkong.directives.models import DirectiveReceipt, ImplementationReport, ReportState
from fangkong.directives.permissions import ACT, REVIEW, VIEW_RECEIPT
from fangkong.directives.views import (
    pick,
    progress_additions,
    progress_download,
    receipt_rows,
    send_file,
    without_page,
)
from fangkong.web import call_service, scoped_or_404


def _receipt(user, pk, perm=None):
    receipt = scoped_or_404(DirectiveReceipt, user, perm=perm, pk=pk)
    return (
        selectors.receipts(user)
        .select_related("parent__area", "directive__issued_by")
        .get(pk=receipt.pk)
    )


def _context(user, receipt, with_versions=True):
    directive = receipt.directive
    chain = selectors.chain(receipt)
    seen = [*chain, receipt]
    context = {
        "receipt": receipt,
        "directive": directive,
        "chain": chain,
        "asks": selectors.asks_for(receipt),
        "attachments": selectors.attachments_of(directive, seen),
        "mine": services.acts_at(user, ACT, receipt.area),
        "now": timezone.now(),
    }
    if with_versions:
        versions = list(selectors.versions(user, receipt))
        context["versions"] = [
            (report, asks.rows(context["asks"], {**report.figures, **report.typed}))
            for report in versions
        ]
        context["reviews"] = bool(versions) and report_services.reviews(user, receipt)
        context["reviewer"] = report_services.reviewer(receipt)[0]
    asks.mark_added([*chain, receipt], context["asks"])
    if receipt.forwarded_at:
        progress = selectors.progress(user, directive, receipt.area)
        context["progress"] = progress
        context["export_url"] = reverse("receipt_progress_xlsx", args=[receipt.pk])
        context["additions"] = progress_additions(user, directive, receipt.area, progress)
    return context


@login_required
def receipt_detail(request, pk):
    user = request.user
    receipt = _receipt(user, pk)
    context = _context(user, receipt)
    if receipt.forwarded_at:
        context["page"] = receipt_rows(request, user, receipt.directive, receipt.area)
        context["query"] = without_page(request)
        context["states"] = STATES
    return render(request, "directives/receipt.html", context)


@login_required
def receipt_print(request, pk):
    receipt = _receipt(request.user, pk)
    context = _context(request.user, receipt, with_versions=False)
    return render(request, "directives/print.html", context)


@login_required
def receipt_progress_xlsx(request, pk):
    """The progress below the receiving area (of the areas it forwarded to) as a workbook."""
    receipt = _receipt(request.user, pk)
    return progress_download(request.user, receipt.directive, receipt.area)


@login_required
def receipt_file(request, pk):
    """A file (`id`; the first without one) of what came down to the receipt or of what it
    added."""
    receipt = _receipt(request.user, pk)
    seen = [*selectors.chain(receipt), receipt]
    attachments = selectors.attachments_of(receipt.directive, seen)
    return send_file(pick(attachments, request.GET.get("id", "")))


@login_required
@require_POST
def receipt_acknowledge(request, pk):
    receipt = _receipt(request.user, pk, perm=ACT)
    services.acknowledge(actor=request.user, receipt=receipt)
    messages.success(request, _("Acknowledged."))
    return redirect(receipt.get_absolute_url())


@login_required
def receipt_forward(request, pk):
    user = request.user
    receipt = _receipt(user, pk, perm=ACT)
    services.check_own(user, receipt)
    children = list(Area.objects.visible_to(user, VIEW_RECEIPT).filter(parent=receipt.area))
    form = ForwardForm(
        request.POST or None,
        request.FILES or None,
        area=receipt.area,
        children=children,
        receipt=receipt,
        initial={
            "level": children[0].level if children else "",
            "ack_due_at": receipt.ack_due_at,
            "report_due_at": receipt.report_due_at,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("report_due_at", None)
        done = call_service(form, services.forward, actor=user, receipt=receipt, **data)
        if done:
            messages.success(request, _("Forwarded."))
            return redirect(receipt.get_absolute_url())
    context = _context(user, receipt)
    context["form"] = form
    return render(request, "directives/forward.html", context)


@login_required
def receipt_report(request, pk):
    user = request.user
    receipt = _receipt(user, pk, perm=ACT)
    services.check_own(user, receipt)
    rolled_up = receipt.forwarded_at is not None
    asked = selectors.asks_for(receipt)
    last = selectors.versions(user, receipt).first()
    amending = last if last is not None and last.state == ReportState.RETURNED else None
    form = ReportForm(
        request.POST or None,
        asks=asked,
        typed=not rolled_up,
        # An amended version starts from the one sent back.
        initial={**amending.typed, "summary": amending.summary} if amending else None,
    )
    if request.method == "POST" and form.is_valid():
        report = call_service(
            form,
            report_services.send_report,
            actor=user,
            receipt=receipt,
            typed=form.typed(),
            summary=form.cleaned_data["summary"],
            client_uuid=form.cleaned_data["client_uuid"],
        )
        if report:
            messages.success(request, _("Report sent."))
            return redirect(receipt.get_absolute_url())
    known_asks = [ask for ask in asked if not ask.typed]
    known = report_services.known_figures([ask.key for ask in known_asks], receipt.area)
    below = report_services.rolled_up_typed(receipt) if rolled_up else {}
    context = _context(user, receipt, with_versions=False)
    context.update(
        {
            "form": form,
            "amending": amending,
            "known_rows": asks.rows(known_asks, known),
            "below_rows": asks.rows([ask for ask in asked if ask.typed], below),
            "missing": report_services.missing_children(receipt) if rolled_up else [],
            "waiting": selectors.waiting_review(receipt) if rolled_up else [],
            "rolled_up": rolled_up,
        }
    )
    return render(request, "directives/report.html", context)


def _report(user, pk):
    """A version the user may view, acted on by the level above it (REVIEW, 403 without)."""
    report = scoped_or_404(ImplementationReport, user, perm=REVIEW, pk=pk)
    return selectors.reports(user).select_related("receipt__parent__area").get(pk=report.pk)


@login_required
@require_POST
def report_approve(request, pk):
    report = _report(request.user, pk)
    try:
        report_services.approve_report(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Report approved."))
    return redirect(report.receipt.get_absolute_url())


@login_required
def report_send_back(request, pk):
    user = request.user
    report = _report(user, pk)
    if not report_services.reviews(user, report.receipt):
        raise PermissionDenied(_("Only the level above the report reviews it."))
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = call_service(
            form,
            report_services.send_back,
            actor=user,
            report=report,
            reason=form.cleaned_data["reason"],
        )
        if done:
            messages.success(request, _("Report sent back."))
            return redirect(report.receipt.get_absolute_url())
    receipt = _receipt(user, report.receipt_id)
    context = _context(user, receipt, with_versions=False)
    context.update(
        {
            "form": form,
            "report": report,
            "rows": asks.rows(context["asks"], {**report.figures, **report.typed}),
        }
    )
    return render(request, "directives/send_back.html", context)
