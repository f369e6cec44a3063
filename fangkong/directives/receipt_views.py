"""Pages of one received directive: what came down (the issuer's text and each level's
addition, marked by level), its deadlines and state; acknowledging, forwarding, reporting
(for the receiving area's own workers), its print view and files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.directives import report_services, selectors, services
from fangkong.directives.filters import STATES
from fangkong.directives.forms import ForwardForm, ReportForm
from fangkong.directives.models import DirectiveReceipt
from fangkong.directives.permissions import ACT, VIEW_RECEIPT
from fangkong.directives.views import pick, receipt_rows, send_file, without_page
from fangkong.web import call_service, scoped_or_404


def _receipt(user, pk, perm=None):
    receipt = scoped_or_404(DirectiveReceipt, user, perm=perm, pk=pk)
    return (
        selectors.receipts(user)
        .select_related("parent__area", "directive__issued_by")
        .get(pk=receipt.pk)
    )


def _context(user, receipt):
    directive = receipt.directive
    chain = selectors.chain(receipt)
    seen = [*chain, receipt]
    report = getattr(receipt, "report", None) if receipt.reported_at else None
    context = {
        "receipt": receipt,
        "directive": directive,
        "chain": chain,
        "attachments": selectors.attachments_of(directive, seen),
        "mine": services.acts_at(user, ACT, receipt.area),
        "report": report,
        "report_rows": (
            selectors.figure_rows(directive, {**report.figures, **report.typed}) if report else []
        ),
        "now": timezone.now(),
    }
    if receipt.forwarded_at:
        context["progress"] = selectors.progress(user, directive, receipt.area)
        context["additions"] = selectors.additions_below(user, directive, receipt.area)[:100]
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
    return render(request, "directives/print.html", _context(request.user, receipt))


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
    directive = receipt.directive
    rolled_up = receipt.forwarded_at is not None
    form = ReportForm(request.POST or None, directive=directive, typed=not rolled_up)
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
    known = report_services.known_figures(directive, receipt.area)
    below = report_services.rolled_up_typed(receipt) if rolled_up else {}
    context = _context(user, receipt)
    context.update(
        {
            "form": form,
            "known_rows": selectors.figure_rows(directive, known)[: len(directive.figures)],
            "below_rows": selectors.figure_rows(directive, below)[len(directive.figures) :],
            "missing": report_services.missing_children(receipt) if rolled_up else [],
            "rolled_up": rolled_up,
        }
    )
    return render(request, "directives/report.html", context)
