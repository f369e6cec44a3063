import datetime
import uuid
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.notices import services
from fangkong.notices.models import Notice, NoticeVersion
from tests.notices.helpers import COMMUNITY, GRID, OTHER_COMMUNITY, TOWNSHIP, published_notice
from tests.world import every

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_public_page_shows_the_latest_version_and_its_history_without_login(client, world):
    page = client.get(f"/notice-board/{COMMUNITY}/")
    text = page.content.decode()
    assert page.status_code == 200
    # The world's notice of 新华社区: version 2 in force, version 1 its history, the draft unseen;
    # the township's notice shown beside it; the other township's community's not at all.
    assert text.index("甲格通告修订") < text.index("甲格通告初版")
    assert "甲格正文2" in text and "甲格正文1" in text and "甲格通告三稿" not in text
    assert 'id="notice-17001-v1"' in text and "notice-authoritative" in text
    assert "乙格通告修订" in text and "丙格" not in text
    for code in (GRID, "350502000000", "999999999999"):
        assert client.get(f"/notice-board/{code}/").status_code == 404


def test_a_townships_page_lists_its_communities_pages(client, world):
    text = client.get(f"/notice-board/{TOWNSHIP}/").content.decode()
    assert "乙格通告修订" in text and "甲格通告修订" not in text
    assert f'href="/notice-board/{COMMUNITY}/"' in text and OTHER_COMMUNITY not in text


def test_markup_is_shown_as_text_with_its_line_breaks(client, world):
    published_notice(world, title="<b>标题</b>", body='第一行\n<script>alert("x")</script>')
    text = client.get(f"/notice-board/{COMMUNITY}/").content.decode()
    assert "<script>alert" not in text and "<b>标题" not in text
    assert "第一行<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    atom = client.get(f"/notice-board/{COMMUNITY}/atom/").content.decode()
    assert "<script>" not in atom and "&amp;lt;script&amp;gt;" in atom


def test_the_page_is_cached_and_a_publication_shows_at_once(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for url in (f"/notice-board/{COMMUNITY}/", f"/notice-board/{COMMUNITY}/atom/"):
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200
    client.get(f"/notice-board/{TOWNSHIP}/")
    with django_capture_on_commit_callbacks(execute=True):
        published_notice(world, title="新发布的通告")
    assert "新发布的通告" in client.get(f"/notice-board/{COMMUNITY}/").content.decode()
    assert "新发布的通告" in client.get(f"/notice-board/{COMMUNITY}/atom/").content.decode()
    # The township's page counts its communities' notices: forgotten as well.
    township = client.get(f"/notice-board/{TOWNSHIP}/").content.decode()
    assert f'href="/notice-board/{COMMUNITY}/" data-notices="2"' in township


def test_a_scheduled_or_withdrawn_notice_is_not_on_the_page(client, world):
    actor = world.users["community"]
    notice = services.create_notice(
        actor=actor, area=world.areas[COMMUNITY], kind="rule", title="明天生效", body="正文"
    )
    services.publish(
        actor=actor,
        notice=notice,
        version=1,
        publish_at=timezone.now() + datetime.timedelta(hours=2),
    )
    services.withdraw(actor=actor, notice=every(Notice).get(pk=17001), reason="已过期")
    text = client.get(f"/notice-board/{COMMUNITY}/").content.decode()
    assert "明天生效" not in text and "甲格通告修订" not in text


def test_the_feeds_carry_each_notices_authoritative_version(client, world):
    atom = client.get(f"/notice-board/{COMMUNITY}/atom/")
    assert atom.status_code == 200 and atom["Content-Type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(atom.content).findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert "甲格通告修订 (新华社区)" in titles and "乙格通告修订 (海滨街道)" in titles
    ids = {entry.find(f"{ATOM}id").text for entry in entries}
    assert "fangkong-notice-17001-v2" in ids
    rss = client.get(f"/notice-board/{COMMUNITY}/rss/")
    assert (
        rss.status_code == 200 and b"<rss" in rss.content and "甲格通告修订" in rss.content.decode()
    )
    assert client.get(f"/notice-board/{GRID}/atom/").status_code == 404


def test_the_public_page_and_feed_are_rate_limited(client, world, settings):
    settings.FANGKONG_NOTICE_PAGE_VIEWS_PER_HOUR = 3
    for url in ("/notice-board/%s/", "/notice-board/%s/atom/", "/notice-board/%s/"):
        assert client.get(url % COMMUNITY).status_code == 200
    for url in ("/notice-board/%s/", "/notice-board/%s/atom/"):
        refused = client.get(url % COMMUNITY)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0


def test_a_worker_starts_from_the_standard_advice_and_publishes(as_user, world):
    client = as_user(world.users["community"])
    listed = client.get(f"{reverse('notice_list')}?within={COMMUNITY}").content.decode()
    assert 'id="notice-advice-masks"' in listed and "甲格通告三稿" in listed
    form = client.get(f"/areas/{COMMUNITY}/notices/new/?advice=banquets")
    assert form.context["form"]["kind"].value() == "rule"
    data = {
        "client_uuid": str(uuid.uuid4()),
        "kind": "rule",
        "title": form.context["form"]["title"].value(),
        "body": form.context["form"]["body"].value(),
    }
    done = client.post(f"/areas/{COMMUNITY}/notices/new/", data)
    client.post(f"/areas/{COMMUNITY}/notices/new/", data)  # sent twice: one notice
    notice = every(Notice).get(client_uuid=data["client_uuid"])
    assert done.url == reverse("notice_detail", args=[notice.pk])
    detail = client.get(done.url).content.decode()
    assert 'id="notice-publish"' in detail
    client.post(reverse("notice_publish", args=[notice.pk]), {"version": 1, "publish_at": ""})
    assert every(NoticeVersion).get(notice=notice).published_at is not None
    poster = client.get(reverse("notice_poster", args=[notice.pk])).content.decode()
    assert "<svg" in poster and f"/notice-board/{COMMUNITY}/#notice-{notice.pk}" in poster


def test_bad_input_on_the_pages_is_refused_with_a_message(as_user, world):
    client = as_user(world.users["community"])
    before = every(Notice).count()
    empty = client.post(
        f"/areas/{COMMUNITY}/notices/new/",
        {"client_uuid": str(uuid.uuid4()), "kind": "rule", "title": "", "body": "x"},
    )
    assert empty.status_code == 200 and empty.context["form"].errors["title"]
    assert every(Notice).count() == before
    past = (timezone.localtime() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(
        reverse("notice_publish", args=[17001]), {"version": 3, "publish_at": past}
    )
    assert refused.status_code == 400 and refused.context["publish_form"].errors["publish_at"]
    assert every(NoticeVersion).get(pk=17013).published_at is None


def test_the_scope_of_the_workers_pages(as_user, world):
    community = as_user(world.users["community"])
    assert community.get(reverse("notice_detail", args=[17003])).status_code == 404
    assert community.get(reverse("notice_detail", args=[17002])).status_code == 404  # above
    assert community.get(f"/areas/{OTHER_COMMUNITY}/notices/new/").status_code == 404
    medical = as_user(world.users["medical"])
    assert medical.get(reverse("notice_detail", args=[17001])).status_code == 200
    assert medical.get(reverse("notice_edit", args=[17001])).status_code == 403
    grid = as_user(world.users["grid"])
    assert grid.get(reverse("notice_list")).status_code == 403


def test_the_home_page_counts_the_drafts_not_published(as_user, world):
    text = as_user(world.users["township"]).get(reverse("home")).content.decode()
    assert 'id="today-notice-drafts"' in text
    listed = as_user(world.users["township"]).get(
        f"{reverse('notice_list')}?within={TOWNSHIP}&status=draft"
    )
    assert [n.pk for n in listed.context["page"].object_list] == [17002, 17001]
