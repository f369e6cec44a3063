"""Every link a persona is shown answers: the home page, its menu, and the pages they lead to
(breadcrumbs, cards, buttons) give 200, or a redirect ending in 200, to the user who sees them.

Every URL pattern a persona is shown (one route with the same query parameters) is followed,
but only its first few links: a list's fortieth record answers as its first ones do, and
following them all cost 4 to 10 s a persona."""

import html
import re
from collections import Counter
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from tests.world import ALL_PERSONAS

HREF = re.compile(r'href="([^"#][^"]*)"')
# Links that end the session are forms, not links; downloads are links like any other.
NOT_FOLLOWED = (settings.STATIC_URL, "/accounts/logout/")
# Links followed per URL pattern and persona (the first, in sorted order).
PER_PATTERN = 2


def links_of(url, text):
    """The same-site links of a page, as absolute paths with their query."""
    found = set()
    for href in HREF.findall(text):
        target = urljoin(url, html.unescape(href))
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith(NOT_FOLLOWED):
            continue
        found.add(target)
    return found


def pattern_of(url):
    """The route a link leads to and the names of its query parameters."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).view_name
    except Resolver404:
        route = parts.path  # no route: a pattern of its own, followed and reported as broken
    keys = frozenset(key for key, _value in parse_qsl(parts.query, keep_blank_values=True))
    return route, keys


def sample(urls, walked):
    """The first PER_PATTERN links of each pattern, counting those already followed."""
    chosen = []
    for url in sorted(urls):
        pattern = pattern_of(url)
        if walked[pattern] < PER_PATTERN:
            walked[pattern] += 1
            chosen.append(url)
    return chosen


def follow(client, url):
    response = client.get(url, follow=True)
    body = b"" if response.streaming else response.content
    return response.status_code, body.decode(errors="replace")


@pytest.mark.parametrize("username", ALL_PERSONAS)
def test_every_link_of_the_home_page_and_the_pages_it_leads_to_answers(world, as_user, username):
    client = as_user(world.users[username])
    home = reverse("home")
    status, text = follow(client, home)
    assert status == 200
    first = links_of(home, text)
    assert first, "a home page with no link"
    seen, broken = {home}, []
    walked = Counter({pattern_of(home): PER_PATTERN})
    second = set()
    for url in sample(first - seen, walked):
        seen.add(url)
        status, text = follow(client, url)
        if status != 200:
            broken.append(f"{url} (on {home}): {status}")
        elif urlsplit(url).path != urlsplit(home).path:
            second |= links_of(url, text)
    for url in sample(second - seen, walked):
        status, _text = follow(client, url)
        if status != 200:
            broken.append(f"{url}: {status}")
    assert not broken, f"as {username}: " + "; ".join(broken)


def test_the_home_page_links_the_daily_report(world, as_user):
    for username in ("community", "township", "county"):
        text = as_user(world.users[username]).get(reverse("home")).content.decode()
        body = text.split("<main", 1)[1]  # not only through the menu
        assert "/reports/" in body, username


@pytest.mark.parametrize("username", ["grid", "building_head", "group_leader"])
def test_grid_level_roles_list_the_workers_of_their_grid(world, as_user, username):
    text = as_user(world.users[username]).get(reverse("worker_list")).content.decode()
    # They serve in the community and hold their roles on the grid, as the grid page shows.
    assert "甲格网格员" in text and f"{username}-worker" in text
    assert "乙格网格员" not in text
