"""What supplies add to the home page, the menu and the area pages
(`fangkong.areas.registry`): in each area the stocks below their minimum level, per child
area; a link to the area's roll-up. A fixed number of queries whatever the children."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_sibling
from fangkong.supplies import selectors
from fangkong.supplies.permissions import VIEW_MOVEMENT, VIEW_STOCK


def area_today(user, area, children):
    low = selectors.below_minimum(selectors.stocks(user).within(area))
    url = reverse("stock_list")
    count = low.count()
    lines = [
        TodayLine(
            _("Supplies below the minimum level"),
            count,
            f"{url}?within={area.code}&state=low",
            "danger" if count else "",
            id="today-supplies-low",
        ),
    ]
    columns = []
    if children:
        columns.append(
            TodayColumn(
                _("Supplies below the minimum level"),
                counts_by_sibling(low.order_by(), children),
                lambda child: f"{url}?within={child.code}&state=low",
            )
        )
    return lines, columns


register(
    MenuLink(_("Supplies"), VIEW_STOCK, "stock_list", order=44, group="services"),
    MenuLink(_("Stock movements"), VIEW_MOVEMENT, "movement_list", order=45, group="services"),
    AreaLink(
        _("Prevention supplies"),
        VIEW_STOCK,
        lambda area: reverse("supplies_summary", args=[area.code]),
        id="link-supplies-summary",
        order=44,
    ),
    TodayCard(
        "supplies-area",
        _("Prevention supplies"),
        VIEW_STOCK,
        area_today,
        by_child=True,
        order=16,
    ),
)
