"""Writes of supplies, one transaction each (docs/supplies.md).

`record_movement` is the one way a stock changes (page, API, demo): it locks the area's
`Stock` row (and, for a transfer, the giving area's first: the higher area is always locked
first, so two transfers never wait on each other crosswise), checks that no stock goes
below zero, writes the movement with the balances after it, and tells the area's workers
when the stock falls below its minimum. Sent again with the same `client_uuid` it answers
the movement it made and changes nothing. `reverse_movement` undoes a movement entered
wrongly by a counter-movement, the same way.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.directives.notify import tell_area
from fangkong.supplies.models import Stock, StockMovement, SupplyItem
from fangkong.supplies.permissions import ISSUE, MANAGE
from fangkong.writes import once, refused

Kind = StockMovement.Kind
# A movement is recorded on the day it happened, at most a month back.
MOVEMENT_DAY = dates.Window("movement day", lambda t: t - datetime.timedelta(days=31), lambda t: t)
MOST = 10_000_000  # the largest quantity of one movement, stock or minimum
STOCK_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY, Level.GRID)
# What recording each kind of movement asks of the actor (on the area whose stock changes;
# for a transfer, on the area giving too); reversing one asks the same.
NEEDS = {Kind.RECEIVED: MANAGE, Kind.ISSUED: ISSUE, Kind.TRANSFERRED: MANAGE, Kind.COUNTED: MANAGE}
REASON_LENGTH = 300


# Each kind of movement's audit action, written out so that every code can be found.
MOVEMENT_ACTIONS = {
    StockMovement.Kind.RECEIVED: "supplies.received",
    StockMovement.Kind.ISSUED: "supplies.issued",
    StockMovement.Kind.TRANSFERRED: "supplies.transferred",
    StockMovement.Kind.COUNTED: "supplies.counted",
    StockMovement.Kind.REVERSED: "supplies.reversed",
}


def check_quantity(value, field, *, least=1):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("Give the quantity as a whole number.")})
    if value < 0:
        raise ValidationError({field: _("The quantity cannot be negative.")})
    if value < least:
        raise ValidationError(
            {field: _("Give a quantity of at least %(least)d.") % {"least": least}}
        )
    if value > MOST:
        raise ValidationError({field: _("Give a quantity of at most %(most)d.") % {"most": MOST}})
    return value


def check_item(item):
    if not isinstance(item, SupplyItem) or not item.is_active:
        raise ValidationError({"item": _("Choose a supply item in use.")})


def check_stock_area(area, perm, actor, field="area"):
    if area.level not in STOCK_LEVELS:
        raise ValidationError(
            {field: _("Supplies are kept by a county, township, community or grid.")}
        )
    if not actor.has_perm(perm, area):
        raise refused()


def stock_of(actor, perm, area, item):
    """The area's stock of the item, locked for this transaction; made (empty) the first
    time. The actor holds `perm` on the area, so the row lies in their scope."""
    stocks = Stock.objects.visible_to(actor, perm).select_for_update()
    stock, _made = stocks.get_or_create(area=area, item=item)
    return stock


def short_of(stock, asked):
    return ValidationError(
        {
            "quantity": _(
                "Not enough in stock: %(area)s has %(have)d %(unit)s of %(item)s, "
                "%(asked)d cannot be taken out. Nothing was saved."
            )
            % {
                "area": stock.area.name,
                "have": stock.quantity,
                "unit": stock.item.unit,
                "item": stock.item.name,
                "asked": asked,
            }
        }
    )


def record_movement(
    *,
    actor,
    kind,
    area,
    item,
    quantity,
    from_area=None,
    happened_on=None,
    party="",
    note="",
    client_uuid=None,
):
    """Received into, issued from or counted in `area`'s stock of `item`; or transferred
    down from `from_area` to `area` (one record both areas see). A stocktake (`counted`)
    sets the level to `quantity` and records the difference."""

    def make():
        if kind not in NEEDS:  # a reversal is made by reverse_movement only
            raise ValidationError({"kind": _("Choose what happened to the stock.")})
        check_item(item)
        check_quantity(quantity, "quantity", least=0 if kind == Kind.COUNTED else 1)
        day = MOVEMENT_DAY.check(happened_on or timezone.localdate(), field="happened_on")
        giver = None
        if kind == Kind.TRANSFERRED:
            if from_area is None:
                raise ValidationError({"from_area": _("Say which area the supplies come from.")})
            if from_area.pk == area.pk or not area.path.startswith(from_area.path):
                raise ValidationError(
                    {"area": _("Supplies are transferred down to an area below the one giving.")}
                )
            check_stock_area(from_area, MANAGE, actor, field="from_area")
            # Below the giving area, so in the actor's subtree for this permission too.
            check_stock_area(area, MANAGE, actor)
            giver = stock_of(actor, MANAGE, from_area, item)  # the higher one first
            stock = stock_of(actor, MANAGE, area, item)
        else:
            if from_area is not None:
                raise ValidationError({"from_area": _("Only a transfer comes from an area.")})
            check_stock_area(area, NEEDS[kind], actor)
            stock = stock_of(actor, NEEDS[kind], area, item)
        before = stock.quantity
        if kind == Kind.COUNTED:
            change = quantity - before
        elif kind == Kind.ISSUED:
            if quantity > before:
                raise short_of(stock, quantity)
            change = -quantity
        else:
            change = quantity
        if giver is not None:
            if quantity > giver.quantity:
                raise short_of(giver, quantity)
            giver_before = giver.quantity
            giver.quantity -= quantity
            giver.save(update_fields=["quantity", "updated_at"])
        stock.quantity = before + change
        stock.save(update_fields=["quantity", "updated_at"])
        movement = StockMovement(
            area=area,
            kind=kind,
            item=item,
            stock=stock,
            quantity=quantity,
            change=change,
            balance_after=stock.quantity,
            from_area=from_area,
            from_stock=giver,
            from_balance_after=giver.quantity if giver is not None else None,
            happened_on=day,
            party=(party or "").strip(),
            note=(note or "").strip(),
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        movement.full_clean(
            exclude=["area", "item", "stock", "from_area", "from_stock", "recorded_by"]
        )
        movement.save()
        record(
            actor=actor,
            action=MOVEMENT_ACTIONS[kind],
            target=movement,
            area=area,
            item=item.name,
            quantity=quantity,
            change=change,
            balance=stock.quantity,
            **({"from_area": from_area.name} if from_area is not None else {}),
        )
        watch(stock, before)
        if giver is not None:
            watch(giver, giver_before)
        return movement

    return once(StockMovement, client_uuid, make, area_id=area.pk)


def reversible(actor, movement):
    """Whether the actor may reverse the movement: they may record its kind where it
    happened (a transfer: in the area that gave), and it is not itself a reversal. Whether
    it was reversed already or the stock still allows it, the service says."""
    if movement.kind not in NEEDS:
        return False
    if movement.kind == Kind.TRANSFERRED:
        return actor.has_perm(MANAGE, movement.from_area)
    return actor.has_perm(NEEDS[movement.kind], movement.area)


def reverse_movement(*, actor, movement, reason, client_uuid=None):
    """Undo a movement entered wrongly by its counter-movement (`reversed`): the stock (and
    for a transfer, the giving area's stock too) changes back by what the movement changed,
    in the transaction that locks them; the movement itself stays as it was. Refused when
    the movement was reversed already, is a reversal, or its stock no longer holds what it
    would take out (stock never goes below zero)."""

    def make():
        why = (reason or "").strip()
        if not why:
            raise ValidationError({"reason": _("Say why the movement is reversed.")})
        if len(why) > REASON_LENGTH:
            raise ValidationError(
                {"reason": _("Say it in at most %(n)d characters.") % {"n": REASON_LENGTH}}
            )
        if movement.kind == Kind.REVERSED:
            raise ValidationError(
                _("A reversal cannot be reversed: record the movement again instead.")
            )
        if not reversible(actor, movement):
            raise refused()
        perm = NEEDS[movement.kind]
        giver = None
        if movement.kind == Kind.TRANSFERRED:
            giver = stock_of(actor, MANAGE, movement.from_area, movement.item)  # higher first
        stock = stock_of(actor, perm, movement.area, movement.item)
        # The stock row is locked: a second reversal of the same movement waits here, then
        # finds this one.
        done = StockMovement.objects.visible_to(actor, perm).filter(reverses=movement)
        if done.exists():
            raise ValidationError(_("This movement was already reversed."))
        change = -movement.change
        if change == 0:
            raise ValidationError(_("This movement changed nothing: there is nothing to reverse."))
        before = stock.quantity
        if before + change < 0:
            raise short_of(stock, -change)
        stock.quantity = before + change
        stock.save(update_fields=["quantity", "updated_at"])
        if giver is not None:
            giver_before = giver.quantity
            giver.quantity += movement.quantity
            giver.save(update_fields=["quantity", "updated_at"])
        reversal = StockMovement(
            area=movement.area,
            kind=Kind.REVERSED,
            item=movement.item,
            stock=stock,
            quantity=abs(change),
            change=change,
            balance_after=stock.quantity,
            from_area=movement.from_area,
            from_stock=giver,
            from_balance_after=giver.quantity if giver is not None else None,
            happened_on=timezone.localdate(),
            note=why,
            reverses=movement,
            client_uuid=client_uuid,
            recorded_by=actor,
        )
        reversal.full_clean(
            exclude=["area", "item", "stock", "from_area", "from_stock", "recorded_by", "reverses"]
        )
        reversal.save()
        record(
            actor=actor,
            action=MOVEMENT_ACTIONS[Kind.REVERSED],
            target=reversal,
            area=movement.area,
            item=movement.item.name,
            quantity=abs(change),
            change=change,
            balance=stock.quantity,
            reverses=movement.pk,
            reversed_kind=movement.kind,
            reason=why,
            **({"from_area": movement.from_area.name} if giver is not None else {}),
        )
        watch(stock, before)
        if giver is not None:
            watch(giver, giver_before)
        return reversal

    return once(StockMovement, client_uuid, make, reverses_id=movement.pk)


@transaction.atomic
def set_minimum(*, actor, area, item, minimum):
    """The level below which the area's stock of the item raises an alert (0: none)."""
    check_item(item)
    check_quantity(minimum, "minimum", least=0)
    check_stock_area(area, MANAGE, actor)
    stock = stock_of(actor, MANAGE, area, item)
    before = stock.minimum
    stock.minimum = minimum
    stock.minimum_set_by = actor
    stock.save(update_fields=["minimum", "minimum_set_by", "updated_at"])
    record(
        actor=actor,
        action="supplies.minimum",
        target=stock,
        area=area,
        item=item.name,
        before=before,
        after=minimum,
    )
    watch(stock, stock.quantity)
    return stock


def watch(stock, before):
    """Keep the stock's below-the-minimum state; a stock that has just fallen below its
    minimum (it was at or above it, or had none) tells its area's workers, once per fall."""
    below = stock.below_minimum
    if below and stock.below_since is None:
        stock.below_since = timezone.now()
        stock.crossings += 1
        stock.save(update_fields=["below_since", "crossings"])
        tell_low(stock)
    elif not below and stock.below_since is not None:
        stock.below_since = None
        stock.save(update_fields=["below_since"])


def tell_low(stock):
    """Tell the workers who issue from the stock's area (a community's community workers,
    a grid's grid worker, a township's supervisors), and for a grid its community's: they
    refill it. Stored in the transaction; the channels get it once it commits."""
    area = stock.area
    paths = [area.path]
    if area.level == Level.GRID:
        paths.append(area.path.rstrip("/").rsplit("/", 1)[0] + "/")
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "%(area)s: %(item)s is below its minimum, %(quantity)d %(unit)s left "
            "(minimum %(minimum)d)."
        ) % {
            "area": area.name,
            "item": stock.item.name,
            "quantity": stock.quantity,
            "unit": stock.item.unit,
            "minimum": stock.minimum,
        }
    link = reverse("stock_detail", args=[stock.pk])
    return tell_area(
        paths,
        ISSUE,
        key=f"supplies-low:{stock.pk}:{stock.crossings}",
        message=message,
        link_of=lambda path: link,
    )
