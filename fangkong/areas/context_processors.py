from django.contrib.auth.context_processors import PermWrapper
from django.template.loader import render_to_string
from django.utils.translation import get_language

from fangkong.areas.registry import MenuLink, registered
from fangkong.areas.selectors import home_areas
from fangkong.scope import roles_of

# Rendered menus by everything they show; a process sees a few hundred at most.
_menus = {}
MENUS_KEPT = 1000


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
            links = [link for link in registered(MenuLink) if user.has_perm(link.perm)]
            context = {
                "user": user,
                "perms": PermWrapper(user),
                "home_areas": self.homes,
                "links": links,
            }
            menu = _menus[key] = render_to_string("includes/menu.html", context)
        return menu

    __str__ = __html__


def navigation(request):
    """The areas the user works in and the menu, for the navigation bar and the home link."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    homes = home_areas(user)
    return {"home_areas": homes, "menu": Menu(user, homes)}
