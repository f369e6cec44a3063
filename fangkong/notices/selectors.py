"""Reads of public notices: the workers' lists through `visible_to(user, perm)`, and what
the public page of a community or township shows (published, not withdrawn; no personal
data), kept briefly in the cache and forgotten when a notice of the area is published."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone, translation

from fangkong.areas.models import Area, Level
from fangkong.notices.models import Notice, NoticeVersion
from fangkong.notices.permissions import VIEW, WRITE
from fangkong.scope import system_scope

PUBLIC_LEVELS = (Level.COMMUNITY, Level.TOWNSHIP)
# A page a poster's QR code sends many residents to costs no query for this long; a notice
# published is shown at once (its area's entries are deleted), a scheduled one within it.
CACHE_SECONDS = 60
PAGE_NOTICES = 50
PAGE_VERSIONS = 500


def notices(user, perm=VIEW):
    drafts = NoticeVersion.objects.visible_to(user, perm).filter(
        notice=OuterRef("pk"), published_at__isnull=True
    )
    return Notice.objects.visible_to(user, perm).annotate(has_draft=Exists(drafts))


def drafts(user):
    """Drafts waiting to be published in the user's areas (a new notice or a revision)."""
    return NoticeVersion.objects.visible_to(user, WRITE).filter(
        published_at__isnull=True, notice__withdrawn_at__isnull=True
    )


def status(notice, now=None):
    now = now or timezone.now()
    if notice.withdrawn_at:
        return "withdrawn"
    if notice.published_at is None:
        return "draft"
    return "scheduled" if notice.published_at > now else "published"


# What is kept per page and language: the data, the page's rendered content (the page's
# per-request cost is then that of its frame) and the two feeds as sent.
KEPT = ("data", "html", "atom", "rss")


def page_key(code, language, kept="data"):
    return f"fangkong.notice-page:{kept}:{code}:{language}"


def parent_code(path):
    codes = path.strip("/").split("/")
    return codes[-2] if len(codes) > 1 else None


def forget(area):
    """Drop the cached public pages that show the area's notices: its own and, for a
    community, its township's (which lists its communities' notices)."""
    codes = [area.code, parent_code(area.path)]
    cache.delete_many(
        [
            page_key(code, language, kept)
            for code in codes
            if code
            for language, _name in settings.LANGUAGES
            for kept in KEPT
        ]
    )


def public_page(code, now=None):
    """What the public page of a community or township shows, or None for no such area."""
    language = translation.get_language()
    key = page_key(code, language)
    page = cache.get(key)
    if page is None:
        page = _build(code, now or timezone.now())
        if page is None:
            return None  # not kept: random codes must not fill the cache
        cache.set(key, page, CACHE_SECONDS)
    return page


def _build(code, now):
    # Public page: published notices are published by design (3.1); no personal data.
    with system_scope():
        area = Area.objects.filter(code=code, level__in=PUBLIC_LEVELS).first()
        if area is None:
            return None
        issuers = [area]
        if area.level == Level.COMMUNITY and area.parent_id:
            issuers.append(Area.objects.get(pk=area.parent_id))
        versions = list(
            NoticeVersion.objects.filter(
                area__in=issuers, published_at__lte=now, notice__withdrawn_at__isnull=True
            )
            .select_related("notice")
            .order_by("-published_at", "-number")[:PAGE_VERSIONS]
        )
        communities = _communities(area, now) if area.level == Level.TOWNSHIP else []
    names = {a.pk: a.name for a in issuers}
    by_notice = {}
    for version in versions:
        by_notice.setdefault(version.notice_id, []).append(version)
    shown = []
    for notice_versions in by_notice.values():
        notice_versions.sort(key=lambda v: -v.number)
        latest = notice_versions[0]
        shown.append(
            {
                "id": latest.notice_id,
                "kind": latest.notice.get_kind_display(),
                "issuer": names[latest.area_id],
                "own": latest.area_id == area.pk,
                "first_published": min(v.published_at for v in notice_versions),
                "latest": _version(latest),
                "history": [_version(v) for v in notice_versions[1:]],
            }
        )
    shown.sort(key=lambda n: n["latest"]["published_at"], reverse=True)
    return {
        "area": {"name": area.name, "code": area.code, "level": area.level},
        "notices": shown[:PAGE_NOTICES],
        "communities": communities,
    }


def _version(version):
    return {
        "number": version.number,
        "title": version.title,
        "body": version.body,
        "change_note": version.change_note,
        "published_at": version.published_at,
    }


def _communities(township, now):
    """The township's communities with how many notices each shows and its latest date."""
    children = list(Area.objects.filter(parent=township, level=Level.COMMUNITY).order_by("code"))
    figures = {
        row["area_id"]: row
        for row in NoticeVersion.objects.filter(
            area__in=children, published_at__lte=now, notice__withdrawn_at__isnull=True
        )
        .values("area_id")
        .annotate(n=Count("notice", distinct=True), last=Max("published_at"))
    }
    return [
        {
            "name": child.name,
            "code": child.code,
            "notices": figures.get(child.pk, {}).get("n", 0),
            "last": figures.get(child.pk, {}).get("last"),
        }
        for child in children
    ]
