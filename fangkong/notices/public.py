"""The public side of notices: a community's or township's notice page (no login, no
personal data, rate-limited per client address like the other public pages), its Atom and
RSS feeds for official WeChat/Weibo accounts and news apps, and a notice's printable poster
with a QR code to the page."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from fangkong.monitoring.self_report import _bump as count_view
from fangkong.notices import selectors
from fangkong.notices.models import Notice
from fangkong.notices.permissions import VIEW
from fangkong.published import publish
from fangkong.web import scoped_or_404

WINDOW_SECONDS = 3600
PUBLISHED_SECONDS = 30


def views_per_hour():
    """Views (page or feed) one client address may make in an hour: a village's shared
    network and a few feed readers, not a script (`FANGKONG_NOTICE_PAGE_VIEWS_PER_HOUR`)."""
    return getattr(settings, "FANGKONG_NOTICE_PAGE_VIEWS_PER_HOUR", 600)


def seconds_until_allowed(request):
    now = timezone.now().timestamp()
    window = int(now // WINDOW_SECONDS)
    address = get_client_ip_address(request) or ""
    if count_view(f"notice-board:{address}", window) > views_per_hour():
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


def limited(request, wait):
    response = render(
        request,
        "notices/limited.html",
        {"message": _("Too many requests from this network. Please try again later.")},
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def board_or_404(code):
    page = selectors.public_page(code)
    if page is None:
        raise Http404
    return page


def notice_board(request, code):
    """The notices of a community (with its township's) or of a township (with a list of its
    communities' pages), the latest version of each marked authoritative, its history below."""
    wait = seconds_until_allowed(request)
    if wait:
        return limited(request, wait)
    return published(request, render(request, "notices/board.html", board_content(code)))


def published(request, response):
    """The page or feed as every visitor without a login gets it, kept that long in front of
    Django (fangkong/published.py): a new version reaches them within that time."""
    if request.GET or request.user.is_authenticated:
        return response
    return publish(response, PUBLISHED_SECONDS)


def board_content(code):
    """The page's content rendered once and kept with its data (forgotten alike): it shows
    the same to everyone, and rendering a busy township's forty notices with their histories
    cost several times the rest of the page."""
    key = selectors.page_key(code, translation.get_language(), "html")
    kept = cache.get(key)
    if kept is None:
        page = board_or_404(code)
        kept = {
            "area": page["area"],
            "content": render_to_string("notices/board_content.html", page),
        }
        cache.set(key, kept, selectors.CACHE_SECONDS)
    return {"area": kept["area"], "content": mark_safe(kept["content"])}


class NoticeFeed(Feed):
    """The authoritative versions of a notice page as an Atom feed; a new version is a new
    entry (its id names the version), so readers pick up every update."""

    feed_type = Atom1Feed
    kept_as = "atom"

    def __call__(self, request, *args, **kwargs):
        """The feed as the page: rendered once a minute and forgotten on publication (feed
        readers poll; writing forty entries cost 25 ms)."""
        wait = seconds_until_allowed(request)
        if wait:
            return limited(request, wait)
        key = selectors.page_key(kwargs["code"], translation.get_language(), self.kept_as)
        kept = cache.get(key)
        if kept is None:
            response = super().__call__(request, *args, **kwargs)
            kept = (response.content, response["Content-Type"])
            cache.set(key, kept, selectors.CACHE_SECONDS)
        return published(request, HttpResponse(kept[0], content_type=kept[1]))

    def get_object(self, request, code):
        return board_or_404(code)

    def title(self, page):
        return _("%(area)s: public notices") % {"area": page["area"]["name"]}

    def link(self, page):
        return reverse("notice_board", args=[page["area"]["code"]])

    def subtitle(self, page):
        return _("Epidemic information, advice and rules published by %(area)s") % {
            "area": page["area"]["name"]
        }

    description = subtitle

    def items(self, page):
        return [{**notice, "board": page["area"]["code"]} for notice in page["notices"]]

    def item_title(self, notice):
        return f"{notice['latest']['title']} ({notice['issuer']})"

    def item_description(self, notice):
        # Feed readers render the summary as HTML: the typed text is escaped, its breaks kept.
        return linebreaksbr(notice["latest"]["body"], autoescape=True)

    def item_link(self, notice):
        return reverse("notice_board", args=[notice["board"]]) + f"#notice-{notice['id']}"

    def item_guid(self, notice):
        return f"fangkong-notice-{notice['id']}-v{notice['latest']['number']}"

    item_guid_is_permalink = False

    def item_pubdate(self, notice):
        return notice["latest"]["published_at"]

    def item_updateddate(self, notice):
        return notice["latest"]["published_at"]

    def item_categories(self, notice):
        return [notice["kind"]]


class NoticeRssFeed(NoticeFeed):
    feed_type = Rss201rev2Feed
    kept_as = "rss"


@login_required
def notice_poster(request, pk):
    """A notice's authoritative text on an A4 poster, with a QR code to the public page where
    residents find its later versions."""
    notice = scoped_or_404(Notice, request.user, pk=pk)
    version = (
        notice.versions.visible_to(request.user, VIEW)
        .filter(published_at__lte=timezone.now())
        .order_by("-number")
        .first()
    )
    if version is None or notice.withdrawn_at:
        raise Http404
    url = request.build_absolute_uri(reverse("notice_board", args=[notice.area.code]))
    return render(
        request,
        "notices/poster.html",
        {"notice": notice, "version": version, "url": f"{url}#notice-{notice.pk}"},
    )
