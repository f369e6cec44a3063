"""What the public commendation page of an area shows, kept briefly in the cache (as the
notices' page is: `fangkong.notices.selectors`) and forgotten when a commendation of the
area or below is published or taken off."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from fangkong.areas.models import Area, Level
from fangkong.commendations.models import Commendation
from fangkong.response.selectors import ancestor_paths
from fangkong.scope import system_scope

PUBLIC_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)
CACHE_SECONDS = 60
PAGE_COMMENDATIONS = 200


def page_key(code, language):
    return f"fangkong.commendation-page:{code}:{language}"


def forget(path):
    """Drop the kept pages of the area at `path` and of the areas above it (each lists
    the commendations of its subtree)."""
    codes = [p.strip("/").split("/")[-1] for p in ancestor_paths(path)]
    cache.delete_many(
        [page_key(code, language) for code in codes for language, _name in settings.LANGUAGES]
    )


def public_page(code):
    """What the public page of a community, township or county shows, or None."""
    key = page_key(code, translation.get_language())
    page = cache.get(key)
    if page is None:
        page = _build(code)
        if page is None:
            return None  # not kept: random codes must not fill the cache
        cache.set(key, page, CACHE_SECONDS)
    return page


def _build(code):
    # Public page: the commendations an area chose to publish are public by design (6.7);
    # a name, the honour, the deeds and the unit, nothing else of the worker.
    with system_scope():
        area = Area.objects.filter(code=code, level__in=PUBLIC_LEVELS).first()
        if area is None:
            return None
        rows = list(
            Commendation.objects.filter(
                area_path__under=area.path,
                status=Commendation.Status.AWARDED,
                published=True,
            )
            .select_related("worker", "area")
            .order_by("-awarded_on", "-id")[:PAGE_COMMENDATIONS]
        )
        children = (
            list(Area.objects.filter(parent=area).order_by("code").values("name", "code"))
            if area.level != Level.COMMUNITY
            else []
        )
    return {
        "area": {"name": area.name, "code": area.code, "level": area.level},
        "commendations": [
            {
                "id": c.pk,
                "name": c.worker.name,
                "unit": c.area.name,
                "title": c.title,
                "level": c.get_level_display(),
                "reason": c.reason,
                "awarded_on": c.awarded_on,
                "awarded_by": c.awarded_by,
                "doc_number": c.doc_number,
            }
            for c in rows
        ],
        "children": children,
    }
