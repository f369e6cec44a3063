from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from fangkong.areas.registry import MENU_GROUPS, MenuLink, registered
from fangkong.areas.selectors import home_areas
from fangkong.scope import roles_of

# Rendered menus by everything they show; a process sees a few hundred at most.
_menus = {}
MENUS_KEPT = 1000
FLAT_UP_TO = 10


class Menu:
    """The menu of what the user's roles may use (includes/menu.html), rendered when a page
    shows it. It depends only on the language, the kinds of the user's roles, the areas of
    their home pages (codes and names), their worker and whether they are a superuser: the
    first page with a combination renders it, later ones reuse it. Rendering it took half
    of a logged-in page's template time (bench/RESULTS.md). Everything in the key is read
    afresh by each request, so a role granted or an area renamed shows at once."""

    def __init__(self, user, homes):
        self.user, self.homes = user, homes

    def __html__(self):
        user = self.user
        worker = getattr(user, "worker", None)
        key = (
            get_language(),
            user.is_superuser,
            worker.pk if worker else None,
            frozenset(kind for _path, kind in roles_of(user)),
            tuple((area.code, area.name) for area in self.homes),
        )
        menu = _menus.get(key)
        if menu is None:
            if len(_menus) >= MENUS_KEPT:
                _menus.clear()
            groups = menu_groups(user, worker)
            context = {
                "user": user,
                "home_areas": self.homes,
                "groups": groups,
                # A handful of pages (a volunteer's, a gate's staff) is shown as one list.
                "flat": sum(len(entries) for _label, entries in groups) <= FLAT_UP_TO,
            }
            menu = _menus[key] = render_to_string("includes/menu.html", context)
        return menu

    __str__ = __html__


def menu_groups(user, worker):
    """[(group label, [(label, url), …]), …] of the pages the user's roles may use, in the
    order of MENU_GROUPS and of each link's `order`."""
    entries = {}
    for link in sorted(registered(MenuLink), key=lambda link: link.order):
        if "{worker}" in link.query and worker is None:
            continue
        if not user.has_perm(link.perm):
            continue
        url = reverse(link.url_name) + link.query.format(worker=worker.pk if worker else "")
        entries.setdefault(link.group, []).append((link.label, url))
    return [(label, entries[group]) for group, label in MENU_GROUPS.items() if group in entries]


def navigation(request):
    """The areas the user works in and the menu, for the navigation bar and the home link."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    homes = home_areas(user)
    return {"home_areas": homes, "menu": Menu(user, homes)}
