"""The main pages on a 375 px phone: every visible link and button is a tap target at least
40 px tall, and no page is wider than the screen (tables become cards; issue 13, point 6).

Each persona's pages are measured in one test, which lists every offender of every page."""

import pytest

from fangkong.monitoring.models import MonitoringPlan
from fangkong.people.models import Resident
from tests.world import every

pytestmark = pytest.mark.browser

MIN_HEIGHT = 40  # px
MIN_WIDTH = 24  # px: a count such as "1" standing for a list is not a digit wide
WIDTH = 375  # px, the phone of tests/browser/conftest.py
COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
GRID = "350502001001001"

PAGES = {
    "community": [
        "/",
        f"/areas/{COMMUNITY}/",
        f"/monitoring/?within={COMMUNITY}&status=all",
        "/residents/",
        "/households/",
        f"/households/?within={GRID}&unassigned=true",
        "/key-groups/",
        f"/areas/{COMMUNITY}/key-groups/",
        "/monitoring/alerts/",
        "/verification/tasks/",
        "/reports/",
        "/notifications/",
        "/workers/",
        "/audit/",
        f"/areas/{COMMUNITY}/residents/import/",
        "/areas/import/",
    ],
    # Above a community: the children's report and health monitoring tables (cards on a
    # phone) and the verification lists.
    "township": [
        "/",
        "/reports/",
        f"/areas/{TOWNSHIP}/monitoring/",
        "/verification/",
    ],
    "county": [
        f"/areas/{COUNTY}/monitoring/",
    ],
    "grid": [
        "/",
        f"/areas/{GRID}/",
        "/monitoring/",
        "/monitoring/?status=all",
        "/residents/",
        "/verification/tasks/",
    ],
}

# The links and buttons a thumb can reach: shown, with a box, not in a closed menu or dialog.
# A checkbox is reached through the label or .form-check row it sits in; one a label only stands for
# (Bootstrap's .btn-check, no pointer events) is not a target itself.
SMALL_TARGETS = """([least, narrowest]) => {
  const targets = document.querySelectorAll(
    "a[href], button, [role=button], input[type=submit], input[type=button], summary, input[type=checkbox]");
  const small = [];
  for (const el of targets) {
    if (getComputedStyle(el).pointerEvents === "none") continue;
    const box = (el.type === "checkbox" && el.closest("label, .form-check") || el).getBoundingClientRect();
    if (!box.width || !box.height || getComputedStyle(el).visibility === "hidden") continue;
    if (el.closest(".visually-hidden, [hidden], .modal:not(.show)")) continue;
    if (box.height < least || box.width < narrowest) {
      const text = (el.innerText || el.getAttribute("aria-label") || el.value || "").trim();
      small.push(`${el.tagName.toLowerCase()} "${text.slice(0, 24)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


# Lists that scroll sideways inside the page (a wide table in .table-responsive) are as bad
# as a page that does.
SIDEWAYS = """() => Array.from(document.querySelectorAll("main *"))
  .filter(el => el.scrollWidth > el.clientWidth + 1
    && ["auto", "scroll"].includes(getComputedStyle(el).overflowX))
  .map(el => `${el.tagName.toLowerCase()}#${el.id || el.firstElementChild?.id || ""} scrolls sideways: ${el.scrollWidth} px in ${el.clientWidth}`)"""


def measure(phone, url):
    # What the page loads besides itself (styles, scripts, the icon) must be there.
    missing = []

    def listen(response):
        if response.status >= 400 and response.request.resource_type != "document":
            missing.append(response.url)

    phone.on("response", listen)
    phone.goto(url)
    phone.remove_listener("response", listen)
    problems = [f"{url}: {gone} is missing" for gone in missing]
    problems += [
        f"{url}: {small}" for small in phone.evaluate(SMALL_TARGETS, [MIN_HEIGHT, MIN_WIDTH])
    ]
    width = phone.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        problems.append(f"{url}: the page is {width} px wide")
    problems += [f"{url}: {wide}" for wide in phone.evaluate(SIDEWAYS)]
    return problems


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_every_link_and_button_of_the_main_pages_is_a_tap_target(world, phone, log_in, persona):
    log_in(phone, persona)
    problems = []
    plan = every(MonitoringPlan).filter(area=world.areas[GRID]).first()
    resident = every(Resident).filter(area=world.areas[GRID], household__isnull=False).first()
    # A key person's page (its checks as cards), a resident's and household's and worker's
    # pages (links in their values) and a page that does not exist.
    for url in [
        *PAGES[persona],
        f"/monitoring/plans/{plan.pk}/",
        f"/residents/{resident.pk}/",
        f"/households/{resident.household_id}/",
        f"/workers/{world.users['grid'].worker.pk}/",
        "/no-such-page/",
    ]:
        problems += measure(phone, url)
    # The menu, opened.
    phone.goto("/")
    phone.locator(".navbar-toggler").click()
    phone.locator("#nav.show").wait_for()
    problems += [
        f"menu: {small}" for small in phone.evaluate(SMALL_TARGETS, [MIN_HEIGHT, MIN_WIDTH])
    ]
    assert problems == [], "\n".join(problems)
