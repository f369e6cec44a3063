"""Prevention supplies per area (issue 18, requirement 6.4, docs/supplies.md).

A `SupplyItem` is a kind of supply of the national catalogue (masks, thermometers,
disinfectant, protective clothing …) counted in its unit. An area's `Stock` of an item is
one row kept up to date in the transaction of every movement: its quantity, its minimum
level and whether it is below it. A township or county sees the sum of its subtree's rows
(a few thousand for a county), never a sum over the movements.

A `StockMovement` is one change of a stock: received (from outside: a purchase, a
donation, an allocation), issued (handed out: to households, a checkpoint, a quarantine
site), transferred down (from an area to one below it: recorded ONCE, on the receiving
area, naming the area it came from, so both see the one record) or counted (a stocktake
sets the level; the difference is recorded). A movement entered wrongly is reversed by a
new movement (`reversed`, naming the one it `reverses`) that changes the stock back; the
wrong one stays as it was.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


def _recorded_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class SupplyItem(models.Model):
    """A kind of supply, the same for every area (the catalogue is not place-bound)."""

    class Category(models.TextChoices):
        MASK = "mask", _("Masks")
        THERMOMETER = "thermometer", _("Thermometers")
        DISINFECTANT = "disinfectant", _("Disinfectant")
        PROTECTIVE_CLOTHING = "protective_clothing", _("Protective clothing")
        GLOVES = "gloves", _("Gloves")
        EYEWEAR = "eyewear", _("Goggles and face shields")
        OTHER = "other", _("Other supplies")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    category = models.CharField(_("kind of supply"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10)
    position = models.PositiveSmallIntegerField(_("position"), default=50)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("supply item")
        verbose_name_plural = _("supply items")

    def __str__(self):
        return self.name


# A stock with a minimum set and a quantity under it.
BELOW_MINIMUM = Q(minimum__gt=0, quantity__lt=F("minimum"))


class Stock(PlaceBound):
    """An area's stock of one item, changed only by movements (and its minimum by who
    manages it). `crossings` counts the times it fell below its minimum: each fall is told
    once (the notification's key), a stock that stays below is not told again."""

    item = models.ForeignKey(
        SupplyItem, verbose_name=_("supply item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("in stock"), default=0)
    minimum = models.PositiveIntegerField(_("minimum level"), default=0)
    below_since = models.DateTimeField(_("below the minimum since"), null=True, blank=True)
    crossings = models.PositiveIntegerField(default=0, editable=False)
    minimum_set_by = _recorded_by()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "item__position", "item_id"]
        verbose_name = _("stock")
        verbose_name_plural = _("stocks")
        constraints = [
            models.UniqueConstraint(fields=["area", "item"], name="stock_once"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_not_negative"),
        ]
        indexes = [
            models.Index(
                fields=["area_path", "item", "quantity", "minimum"],
                opclasses=["varchar_pattern_ops", "", "", ""],
                name="stock_rollup",
            )
        ]

    def __str__(self):
        return f"{self.area} {self.item}"

    @property
    def below_minimum(self):
        return self.minimum > 0 and self.quantity < self.minimum


class StockMovement(PlaceBound):
    """One change of an area's stock; `area` is the area whose stock it changed (for a
    transfer, the area that received it; `from_area`, above it, gave)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received into stock")
        ISSUED = "issued", _("Issued from stock")
        TRANSFERRED = "transferred", _("Transferred down")
        COUNTED = "counted", _("Counted (stocktake)")
        REVERSED = "reversed", _("Reversal of a movement")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    item = models.ForeignKey(
        SupplyItem, verbose_name=_("supply item"), on_delete=models.PROTECT, related_name="+"
    )
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="movements")
    # Received, issued, transferred: how many; counted: the level found.
    quantity = models.PositiveIntegerField(_("quantity"))
    change = models.IntegerField(_("change in stock"))
    balance_after = models.PositiveIntegerField(_("in stock after"))
    from_area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_stock = models.ForeignKey(
        Stock, null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_out"
    )
    from_balance_after = models.PositiveIntegerField(
        _("in stock after, where it came from"), null=True, blank=True
    )
    happened_on = models.DateField(_("date"))
    party = models.CharField(_("from whom or to whom"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # A reversal: the movement it undoes (at most one reversal each: the unique key). History
    # is never edited; a wrong movement is undone by its counter-movement.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = _recorded_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-happened_on", "-id"]
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [
            models.Index(
                fields=["area_path", "happened_on"],
                opclasses=["varchar_pattern_ops", ""],
                name="movement_list",
            ),
            # A large area's recent movements, newest first (selectors.last_days).
            models.Index(
                fields=["happened_on", "area_path"],
                opclasses=["", "varchar_pattern_ops"],
                name="movement_day",
            ),
            models.Index(fields=["stock", "happened_on"], name="movement_stock"),
            models.Index(fields=["from_stock", "happened_on"], name="movement_from_stock"),
            # The issues of a subtree over the last days (the rate of use), read from the
            # index alone.
            models.Index(
                fields=["happened_on", "area_path", "item", "quantity"],
                opclasses=["", "varchar_pattern_ops", "", ""],
                condition=Q(kind="issued"),
                name="movement_issued",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item} {self.quantity}"
