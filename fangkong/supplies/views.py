"""Pages of supplies: the stock table (with its Excel export), a stock's page with its
movements, recording a movement, setting a minimum level, the movements, and an area's
roll-up of its subtree per item and child area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import breadcrumbs
from fangkong.spreadsheets import Column, write_table, xlsx_response
from fangkong.supplies import selectors, services
from fangkong.supplies.filters import MovementFilter, StockFilter
from fangkong.supplies.forms import MinimumForm, MovementForm, ReverseForm
from fangkong.supplies.models import Stock, StockMovement
from fangkong.supplies.permissions import ISSUE, MANAGE, VIEW_MOVEMENT, VIEW_STOCK
from fangkong.web import (
    call_service,
    chosen_place,
    paged,
    require_list,
    scoped_or_404,
    without_page,
)

MOST_AREAS = 300
MOST_EXPORTED = 20_000
Kind = StockMovement.Kind


def areas_of(user, perm):
    """The areas keeping stock where the user holds `perm` (their roles' subtrees)."""
    return list(
        Area.objects.visible_to(user, perm)
        .filter(level__in=services.STOCK_LEVELS)
        .order_by("path")[:MOST_AREAS]
    )


def kept(request, *names):
    """The query's values to keep when another area is chosen."""
    return [(name, request.GET[name]) for name in names if request.GET.get(name)]


@login_required
def stock_list(request):
    user = request.user
    require_list(user, VIEW_STOCK)
    found = StockFilter(request.GET, selectors.stocks(user), request=request)
    page = paged(request, found.qs)
    page.object_list = selectors.with_days_left(user, page.object_list)
    return render(
        request,
        "supplies/stocks.html",
        {
            "page": page,
            "query": without_page(request),
            "filter": found,
            "rate_days": selectors.RATE_DAYS,
            "may_issue": user.has_perm(ISSUE),
        },
    )


@login_required
def stock_export(request):
    """The stock table as filtered, as an Excel workbook (no personal data: not audited)."""
    user = request.user
    require_list(user, VIEW_STOCK)
    found = StockFilter(request.GET, selectors.stocks(user), request=request)
    rows = selectors.with_days_left(user, found.qs[:MOST_EXPORTED])
    columns = [
        Column(_("division code"), 16, text=True),
        Column(_("area"), 16),
        Column(_("supply item"), 14),
        Column(_("unit"), 6),
        Column(_("in stock"), 10),
        Column(_("minimum level"), 10),
        Column(_("below the minimum"), 8),
        Column(_("used in the last %(days)d days") % {"days": selectors.RATE_DAYS}, 12),
        Column(_("days left"), 8),
    ]
    data = (
        [
            s.area.code,
            s.area.name,
            s.item.name,
            s.item.unit,
            s.quantity,
            s.minimum or None,
            _("yes") if s.below_minimum else "",
            s.used,
            s.days_left,
        ]
        for s in rows
    )
    day = timezone.localdate().isoformat()
    response = xlsx_response(_("stock %(day)s") % {"day": day} + ".xlsx")
    write_table(response, title=_("Stock table"), columns=columns, rows=data)
    return response


@login_required
def stock_detail(request, pk):
    user = request.user
    stock = scoped_or_404(Stock, user, pk=pk)
    stock = selectors.with_days_left(user, [stock])[0]
    moves = MovementFilter({"stock": stock.pk}, selectors.movements(user), request=request).qs
    page = paged(request, moves)
    may_manage = user.has_perm(MANAGE, stock)
    return render(
        request,
        "supplies/stock.html",
        {
            "stock": stock,
            "breadcrumbs": breadcrumbs(stock.area),
            "page": page,
            "query": without_page(request),
            "rate_days": selectors.RATE_DAYS,
            "may_issue": user.has_perm(ISSUE, stock),
            "may_manage": may_manage,
            "minimum_form": MinimumForm(initial={"item": stock.item, "minimum": stock.minimum})
            if may_manage
            else None,
        },
    )


@login_required
def movement_list(request):
    user = request.user
    require_list(user, VIEW_MOVEMENT)
    found = MovementFilter(request.GET, selectors.movements(user), request=request)
    return render(
        request,
        "supplies/movements.html",
        {
            "page": paged(request, found.qs),
            "query": without_page(request),
            "filter": found,
            "may_issue": user.has_perm(ISSUE),
        },
    )


def movement_page(request, movement, form=None):
    user = request.user
    reversal = StockMovement.objects.visible_to(user, VIEW_MOVEMENT).filter(reverses=movement)
    reversal = reversal.first()
    may_reverse = reversal is None and services.reversible(user, movement)
    return render(
        request,
        "supplies/movement.html",
        {
            "movement": movement,
            "reversal": reversal,
            "breadcrumbs": breadcrumbs(movement.area),
            "reverse_form": (form or ReverseForm()) if may_reverse else None,
        },
    )


@login_required
def movement_detail(request, pk):
    return movement_page(request, scoped_or_404(StockMovement, request.user, pk=pk))


@login_required
@require_POST
def movement_reverse(request, pk):
    """Reverse a movement entered wrongly, with the reason (services.reverse_movement)."""
    user = request.user
    movement = scoped_or_404(StockMovement, user, pk=pk)
    if not services.reversible(user, movement):
        raise PermissionDenied
    form = ReverseForm(request.POST)
    if form.is_valid():
        reversal = call_service(
            form, services.reverse_movement, actor=user, movement=movement, **form.cleaned_data
        )
        if reversal:
            messages.success(
                request,
                _("Reversed. In stock now: %(n)d %(unit)s.")
                % {"n": reversal.balance_after, "unit": reversal.item.unit},
            )
            return redirect("movement_detail", pk=movement.pk)
    return movement_page(request, movement, form)


@login_required
def movement_new(request):
    """Record what happened to the chosen area's stock. A transfer goes from the chosen
    area to one of its child areas; a shortage is refused with what is in stock."""
    user = request.user
    areas, area = chosen_place(request, areas_of(user, ISSUE))
    manages = user.has_perm(MANAGE, area)
    below = (
        list(area.children.visible_to(user, MANAGE).order_by("code"))
        if manages and area.level != Level.GRID
        else []
    )
    kinds = [Kind.ISSUED]
    if manages:
        kinds += [Kind.RECEIVED, *((Kind.TRANSFERRED,) if below else ()), Kind.COUNTED]
    initial = {"kind": request.GET.get("kind") or Kind.ISSUED}
    if request.GET.get("item", "").isdigit():
        initial["item"] = int(request.GET["item"])
    form = MovementForm(request.POST or None, kinds=kinds, below=below, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        to_code = data.pop("to_area", "")
        if data["kind"] == Kind.TRANSFERRED:
            data.update(area=form.below[to_code], from_area=area)
        else:
            data["area"] = area
        movement = call_service(form, services.record_movement, actor=user, **data)
        if movement:
            messages.success(
                request,
                _("Saved. In stock now: %(n)d %(unit)s.")
                % {
                    "n": movement.balance_after
                    if data["kind"] != Kind.TRANSFERRED
                    else movement.from_balance_after,
                    "unit": movement.item.unit,
                },
            )
            stock = (
                movement.from_stock_id if data["kind"] == Kind.TRANSFERRED else movement.stock_id
            )
            return redirect("stock_detail", pk=stock)
    held = {s.item_id: s for s in selectors.stocks(user).filter(area=area).order_by()}
    return render(
        request,
        "supplies/movement_form.html",
        {
            "form": form,
            "areas": areas,
            "area": area,
            "held": list(held.values()),
            "keep": kept(request, "item", "kind"),
        },
    )


@login_required
def stock_minimum(request):
    """Set the minimum level of an item in one of the user's areas."""
    user = request.user
    areas, area = chosen_place(request, areas_of(user, MANAGE))
    initial = {}
    if request.GET.get("item", "").isdigit():
        initial["item"] = int(request.GET["item"])
    form = MinimumForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        stock = call_service(form, services.set_minimum, actor=user, area=area, **form.cleaned_data)
        if stock:
            messages.success(request, _("Minimum level saved."))
            return redirect("stock_detail", pk=stock.pk)
    return render(
        request,
        "supplies/minimum_form.html",
        {"form": form, "areas": areas, "area": area, "keep": kept(request, "item")},
    )


@login_required
def supplies_summary(request, code):
    """An area's supplies rolled up: per item, its subtree's stock, stocks below their
    minimum, use and days left; and per child area."""
    user = request.user
    area = scoped_or_404(Area, user, perm=VIEW_STOCK, code=code)
    children = (
        list(Area.objects.visible_to(user, VIEW_STOCK).filter(parent=area).order_by("code"))
        if area.level != Level.GRID
        else []
    )
    rolls = selectors.rollup(user, area, children)
    rows = [(child, [roll.children.get(child.path) for roll in rolls]) for child in children]
    return render(
        request,
        "supplies/summary.html",
        {
            "area": area,
            "breadcrumbs": breadcrumbs(area),
            "rolls": rolls,
            "rows": rows,
            "rate_days": selectors.RATE_DAYS,
        },
    )
