"""The supplies app's audit actions and records, registered in `SuppliesConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.supplies.models import Stock, StockMovement

register_actions(
    {
        "supplies.received": _("Supplies received"),
        "supplies.issued": _("Supplies issued"),
        "supplies.transferred": _("Supplies transferred down"),
        "supplies.counted": _("Supplies counted"),
        "supplies.reversed": _("Stock movement reversed"),
        "supplies.minimum": _("Minimum level of supplies set"),
    }
)
register_target(
    "stockmovement",
    _("stock movement"),
    model=StockMovement,
    related=["area"],
    url=lambda movement: reverse("movement_detail", args=[movement.pk]),
)
register_target(
    "stock",
    _("stock"),
    model=Stock,
    related=["area"],
    url=lambda stock: reverse("stock_detail", args=[stock.pk]),
)


def movement_line(detail, name_of):
    return [
        gettext("%(item)s %(quantity)s, in stock after: %(balance)s")
        % {
            "item": detail.get("item", ""),
            "quantity": detail.get("quantity", ""),
            "balance": detail.get("balance", ""),
        }
    ]


for _action in ("supplies.received", "supplies.issued", "supplies.transferred", "supplies.counted"):
    register_details(_action, movement_line)
register_details(
    "supplies.reversed",
    lambda detail, name_of: [
        *movement_line(detail, name_of),
        gettext("Reason: %(reason)s") % {"reason": detail.get("reason", "")},
    ],
)
register_details(
    "supplies.minimum",
    lambda detail, name_of: [
        gettext("%(item)s: %(before)s → %(after)s")
        % {
            "item": detail.get("item", ""),
            "before": detail.get("before"),
            "after": detail.get("after"),
        }
    ],
)
