"""Pages of directives: the inbox of received directives, the list of those sent with their
progress, issuing one, a directive's progress page and its print view. The pages of one
received directive (acknowledge, forward, report) are in receipt_views.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, is_area_code
from fangkong.areas.selectors import breadcrumbs
from fangkong.directives import asks, exports, selectors, services
from fangkong.directives.filters import STATES, ReceiptFilter
from fangkong.directives.forms import IssueForm
from fangkong.directives.models import Directive, DirectiveReceipt
from fangkong.directives.permissions import ISSUE, VIEW_DIRECTIVE, VIEW_RECEIPT
from fangkong.scope import role_areas
from fangkong.spreadsheets import xlsx_response
from fangkong.web import CappedPaginator, call_service, require_list, scoped_or_404

PER_PAGE = 50


def without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query


def paged(request, records):
    return CappedPaginator(records, PER_PAGE).get_page(request.GET.get("page"))


def own_areas(user, perm):
    paths = set(selectors.own_paths(user, perm))
    return [area for path, area in sorted(role_areas(user).items()) if path in paths]


@login_required
def directive_inbox(request):
    """What the user's own areas received; with `within`, `area` or `reviewer`, what the
    areas of a subtree the user sees received."""
    user = request.user
    require_list(user, VIEW_RECEIPT)
    narrowed = any(request.GET.get(key) for key in ("within", "area", "reviewer"))
    found = selectors.receipts(user) if narrowed else selectors.inbox(user)
    found = ReceiptFilter(request.GET, found.order_by("-received_at", "-id"), request=request)
    return render(
        request,
        "directives/inbox.html",
        {
            "page": paged(request, found.qs),
            "query": without_page(request),
            "states": STATES,
            "narrowed": narrowed,
            "now": timezone.now(),
        },
    )


@login_required
def directive_sent(request):
    user = request.user
    require_list(user, VIEW_DIRECTIVE)
    return render(
        request,
        "directives/sent.html",
        {
            "page": paged(request, selectors.sent(user)),
            "query": without_page(request),
            "issuers": own_areas(user, ISSUE),
        },
    )


@login_required
def directive_new(request):
    user = request.user
    areas = own_areas(user, ISSUE)
    if not areas:
        raise PermissionDenied(_("You may not do this here."))
    chosen = request.POST.get("area") or request.GET.get("area") or areas[0].code
    area = next((a for a in areas if a.code == chosen), areas[0])
    children = list(Area.objects.visible_to(user, VIEW_DIRECTIVE).filter(parent=area))
    if not children:
        raise PermissionDenied(_("There is no area below yours to send to."))
    form = IssueForm(
        request.POST or None,
        request.FILES or None,
        area=area,
        children=children,
        initial={"level": children[0].level},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        directive = call_service(form, services.issue_directive, actor=user, area=area, **data)
        if directive:
            messages.success(request, _("Directive sent."))
            return redirect(directive.get_absolute_url())
    return render(request, "directives/issue.html", {"form": form, "areas": areas, "area": area})


def progress_area(request, user, directive):
    """The area whose progress is shown: the issuer's, or an area below it (`within`)."""
    code = request.GET.get("within", "")
    if is_area_code(code) and code != directive.area.code:
        found = Area.objects.visible_to(user, VIEW_RECEIPT).filter(
            code=code, path__under=directive.area_path
        )
        return found.first() or directive.area
    return directive.area


def progress_additions(user, directive, area, progress):
    """What the levels below `area` added (text and figures), 100 at most."""
    levels = list(selectors.additions_below(user, directive, area)[:100])
    return asks.mark_added(levels, progress["sums"])


def receipt_rows(request, user, directive, area):
    rows = DirectiveReceipt.objects.visible_to(user, VIEW_RECEIPT).select_related("area")
    rows = rows.filter(directive=directive, area_path__under=area.path)
    rows = ReceiptFilter(request.GET, rows.exclude(area_path=area.path), request=request).qs
    # In the order sent (the areas in path order): an index walk stopping at 50 rows.
    return paged(request, rows.order_by("id"))


@login_required
def directive_detail(request, pk):
    """The issuer's page: the directive, its progress below the issuer (or below a child
    area, `within`), the live sums, the additions of the levels below, each receiver."""
    user = request.user
    directive = scoped_or_404(Directive, user, pk=pk)
    area = progress_area(request, user, directive)
    progress = selectors.progress(user, directive, area)
    export = reverse("directive_progress_xlsx", args=[directive.pk])
    return render(
        request,
        "directives/directive.html",
        {
            "directive": directive,
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "progress": progress,
            "export_url": export if area == directive.area else f"{export}?within={area.code}",
            "additions": progress_additions(user, directive, area, progress),
            "attachments": selectors.attachments_of(directive, ()),
            "page": receipt_rows(request, user, directive, area),
            "query": without_page(request),
            "states": STATES,
            "now": timezone.now(),
        },
    )


def progress_download(user, directive, area):
    response = xlsx_response(exports.filename(directive, area))
    response.write(exports.progress_workbook(user, directive, area))
    return response


@login_required
def directive_progress_xlsx(request, pk):
    """The progress page as a workbook: below the issuer, or below a child area (`within`)."""
    user = request.user
    directive = scoped_or_404(Directive, user, pk=pk)
    return progress_download(user, directive, progress_area(request, user, directive))


@login_required
def directive_print(request, pk):
    directive = scoped_or_404(Directive, request.user, pk=pk)
    return render(
        request,
        "directives/print.html",
        {
            "directive": directive,
            "chain": [],
            "asks": asks.asks_of(directive),
            "attachments": selectors.attachments_of(directive, ()),
        },
    )


def pick(attachments, number):
    """The attachment numbered `number` among `attachments`, or the first when none is named."""
    if not number:
        return next(iter(attachments), None)
    return next((a for a in attachments if str(a.pk) == number), None)


def send_file(attachment):
    if attachment is None:
        raise Http404
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(stream, as_attachment=True, filename=attachment.name)


@login_required
def directive_file(request, pk):
    """A file (`id`; the first without one) of the directive or of what a level below added
    (the issuer sees them all)."""
    directive = scoped_or_404(Directive, request.user, pk=pk)
    return send_file(pick(directive.attachments.all(), request.GET.get("id", "")))
