"""The public side of the duty roster: a community's duty page (1.9: who is on duty now and
next, their duty role and duty phone, the hotline; no login, rate-limited per client
address), its printable poster with a QR code, and each worker's calendar feed (a secret
link to their shifts as iCalendar)."""

import datetime

import icalendar
import segno
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache.backends.locmem import LocMemCache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level
from fangkong.monitoring.self_report import _bump as count_view
from fangkong.published import publish
from fangkong.scope import system_scope
from fangkong.web import scoped_or_404
from fangkong.workforce import selectors
from fangkong.workforce.models import DutyProfile, DutyShift, public_phone
from fangkong.workforce.permissions import VIEW

WINDOW_SECONDS = 3600

# What each community's page shows, kept a minute in each server process whatever CACHES
# says: a view then costs no query and no round trip to a shared cache; each process reads a
# community at most once a minute. The page itself is published until the minute turns
# (fangkong/published.py). The rate limit counts in the default cache, which a deployment
# makes shared (docs/workforce.md).
PAGES = LocMemCache("fangkong-duty-page", {"TIMEOUT": 60, "OPTIONS": {"MAX_ENTRIES": 5000}})


def views_per_hour():
    """Views one client address may make of the public duty pages in an hour: a village's
    shared network refreshing the page all day, not a script (`FANGKONG_DUTY_PAGE_VIEWS_PER_
    HOUR`; counted like the self-report page's posts, per process with a local cache)."""
    return getattr(settings, "FANGKONG_DUTY_PAGE_VIEWS_PER_HOUR", 600)


def seconds_until_allowed(request, now=None):
    now = timezone.now().timestamp() if now is None else now
    window = int(now // WINDOW_SECONDS)
    if count_view(f"duty-page:{get_client_ip_address(request) or ''}", window) > views_per_hour():
        return max(1, int((window + 1) * WINDOW_SECONDS - now))
    return 0


def community_by_code(code):
    # Public page: a community's name and duty are published by design (1.9).
    with system_scope():
        return Area.objects.filter(code=code, level=Level.COMMUNITY).first()


def rows(shifts):
    return [
        {
            "name": s.worker.name,
            "role": s.get_role_display(),
            "post": s.post.name,
            "phone": public_phone(s.worker, s.profile),
            # Only a duty number is dialled from the page; a masked own number is not.
            "dialable": bool(s.profile and s.profile.duty_phone),
            "starts": timezone.localtime(s.starts_at),
            "ends": timezone.localtime(s.ends_at),
        }
        for s in shifts
    ]


def duty_page(request, code):
    """Who is on duty in the community now and next, without logging in."""
    wait = seconds_until_allowed(request)
    if wait:
        response = render(
            request,
            "workforce/public_limited.html",
            {"message": _("Too many requests from this network. Please try again later.")},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    now = timezone.now()
    duty = duty_of(code, now, int(now.timestamp() // 60))
    if duty is None:
        raise Http404
    response = render(request, "workforce/public.html", {"now": timezone.localtime(now), **duty})
    # Published only as anyone sees it: a signed-in worker's menu must never reach the next
    # visitor, nor a query string the language form's `next`.
    if request.GET or request.user.is_authenticated:
        return response
    return publish(response, 60 - now.second)


def duty_of(code, now, minute):
    """What the public page of a community shows at `now`: a roster changed shows on it
    within the minute."""
    key = f"duty:{code}:{minute}"
    duty = PAGES.get(key)
    if duty is None:
        community = community_by_code(code)
        if community is None:
            return None  # not kept: random codes must not fill the cache
        current, upcoming, desk = selectors.on_duty(community, now)
        duty = {
            "community": {"name": community.name, "code": community.code},
            "current": rows(current),
            "upcoming": rows(upcoming),
            "desk": {"hotline": desk.hotline, "note": desk.note} if desk else None,
        }
        PAGES.set(key, duty, 60)
    return duty


@login_required
def poster(request, code):
    """An A4 poster of the community's duty page: its QR code, the hotline."""
    community = scoped_or_404(Area, request.user, code=code, perm=VIEW)
    if community.level != Level.COMMUNITY:
        raise Http404
    url = request.build_absolute_uri(reverse("duty_public", args=[community.code]))
    qr = segno.make(url, error="m").svg_inline(scale=10, border=4, omitsize=True)
    _current, _upcoming, desk = selectors.on_duty(community, timezone.now())
    return render(
        request,
        "workforce/poster.html",
        {"community": community, "qr": mark_safe(qr), "url": url, "desk": desk},
    )


def feed(request, token):
    """A worker's shifts as an iCalendar feed (subscribed to from a phone's calendar)."""
    # The secret link is the access: it names one worker's own duty profile.
    with system_scope():
        profile = DutyProfile.objects.filter(feed_token=token).select_related("worker").first()
    if profile is None or not profile.worker.is_active or len(token) < 20:
        raise Http404
    since = timezone.now() - datetime.timedelta(days=31)
    with system_scope():
        shifts = (
            DutyShift.objects.filter(worker=profile.worker, ends_at__gt=since)
            .select_related("post", "area")
            .order_by("starts_at")[:500]
        )
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Fangkong//duty roster//ZH")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", _("My duty shifts"))
        for shift in shifts:
            event = icalendar.Event()
            event.add("uid", f"duty-shift-{shift.pk}@fangkong")
            event.add("dtstamp", shift.created_at)
            event.add("dtstart", shift.starts_at)
            event.add("dtend", shift.ends_at)
            event.add(
                "summary",
                _("Duty: %(area)s %(post)s · %(role)s")
                % {
                    "area": shift.area.name,
                    "post": shift.post.name,
                    "role": shift.get_role_display(),
                },
            )
            if shift.note:
                event.add("description", shift.note)
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="duty.ics"'
    return response
