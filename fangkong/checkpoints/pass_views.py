"""Pages of passes (出入证): issuing household passes to a closed community or compound, their
list and revocation, the printable sheets with QR codes, and the pass shown at the gate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area
from fangkong.checkpoints import passes_services, work_passes
from fangkong.checkpoints.pass_forms import PassIssueForm, WorkPassForm
from fangkong.checkpoints.passes import Pass
from fangkong.checkpoints.permissions import ISSUE_PASSES, REVOKE_PASS, VIEW_PASS
from fangkong.web import CappedPaginator, call_service, require_perm, scoped_or_404

SHEET_SIZE = 12  # passes on one A4 page (3 × 4)


def passes_of(user, area, kind=""):
    """The area's passes; `kind` one of `Pass.Kind` (the list's and sheets' `?kind=`) or all."""
    passes = (
        Pass.objects.visible_to(user, VIEW_PASS)
        .within(area)
        .select_related("household__building", "resident")
        .order_by("household__building__name", "household__number", "pk")
    )
    return passes.filter(kind=kind) if kind in Pass.Kind.values else passes


@login_required
def pass_list(request, code):
    area = scoped_or_404(Area, request.user, code=code)
    require_perm(request.user, VIEW_PASS, area)
    kind = request.GET.get("kind", "")
    passes = passes_of(request.user, area, kind)
    page = CappedPaginator(passes, 50).get_page(request.GET.get("page"))
    reasons = work_passes.issue_reasons(page.object_list)
    for pass_ in page.object_list:
        pass_.issue_reason = reasons.get(pass_.pk, "")
    kind = kind if kind in Pass.Kind.values else ""
    context = {
        "area": area,
        "page": page,
        "kind": kind,
        "kinds": Pass.Kind.choices,
        "query": QueryDict(f"kind={kind}") if kind else None,
        "may_issue": request.user.has_perm(ISSUE_PASSES, area),
    }
    return render(request, "checkpoints/passes.html", context)


@login_required
def pass_issue(request, code):
    area = scoped_or_404(Area, request.user, code=code, perm=ISSUE_PASSES)
    form = PassIssueForm(request.POST or None, user=request.user, area=area)
    if form.is_valid():
        issued = call_service(
            form,
            passes_services.issue_household_passes,
            actor=request.user,
            area=area,
            **form.cleaned_data,
        )
        if issued is not None:
            messages.success(
                request,
                ngettext("%(n)d household pass issued.", "%(n)d household passes issued.", issued)
                % {"n": issued},
            )
            return redirect("pass_list", code=area.code)
    return render(
        request,
        "form.html",
        {"title": _("Issue household passes"), "area": area, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def pass_sheet(request, code):
    """The area's passes still valid, 12 to an A4 page, each with its QR code."""
    area = scoped_or_404(Area, request.user, code=code)
    require_perm(request.user, VIEW_PASS, area)
    valid = passes_of(request.user, area, request.GET.get("kind", "")).filter(
        revoked_at__isnull=True, valid_until__gte=timezone.localdate()
    )
    page = CappedPaginator(valid, SHEET_SIZE * 10).get_page(request.GET.get("page"))
    cards = [(pass_, passes_services.code_of(pass_)) for pass_ in page]
    return render(
        request, "checkpoints/pass_sheet.html", {"area": area, "page": page, "cards": cards}
    )


@login_required
def pass_detail(request, pk):
    pass_ = scoped_or_404(Pass, request.user, pk=pk)
    context = {
        "pass": pass_,
        "code": passes_services.code_of(pass_),
        "exits": passes_services.latest_exits(pass_),
        "reason": work_passes.issue_reasons([pass_]).get(pass_.pk, ""),
        "may_revoke": not pass_.revoked_at and request.user.has_perm(REVOKE_PASS, pass_),
    }
    return render(request, "checkpoints/pass.html", context)


@login_required
@require_POST
def pass_revoke(request, pk):
    pass_ = scoped_or_404(Pass, request.user, pk=pk, perm=REVOKE_PASS)
    passes_services.revoke_pass(actor=request.user, pass_=pass_)
    messages.success(request, _("The pass is revoked: the gates refuse it from now on."))
    return redirect("pass_detail", pk=pass_.pk)


def gate_pass(request, checkpoint):
    """What the gate page shows of a pass code scanned or typed (`?pass=`, or the recording
    form's `pass_code`): the pass and the people who may use it, or why it is refused."""
    code = (request.POST.get("pass_code") or request.GET.get("pass") or "").strip()
    if not code:
        return {}
    try:
        pass_ = passes_services.pass_for_code(checkpoint, code)
    except ValidationError as error:
        return {"pass_refused": " ".join(error.messages)}
    return {"pass_code": code, "gate_pass": pass_, "pass_members": passes_services.members(pass_)}


@login_required
def work_pass_issue(request, code):
    """Issue a work pass to a resident of the area who must go out; then its page (to print
    or show its QR code)."""
    area = scoped_or_404(Area, request.user, code=code, perm=ISSUE_PASSES)
    form = WorkPassForm(request.POST or None, user=request.user, area=area)
    if form.is_valid():
        pass_ = call_service(
            form, work_passes.issue_work_pass, actor=request.user, **form.service_arguments()
        )
        if pass_ is not None:
            messages.success(request, _("Work pass issued."))
            return redirect("pass_detail", pk=pass_.pk)
    return render(
        request,
        "form.html",
        {"title": _("Issue a work pass"), "area": area, "form": form},
        status=400 if form.is_bound else 200,
    )
