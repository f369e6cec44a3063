"""The Content-Security-Policy in a real browser: the pages that run scripts (the report
trend's ECharts chart and its tooltip, htmx filtering, the language switch, the printed
table, the API docs' Swagger UI) work under it, and Chromium reports no violation."""

import re

import pytest
from playwright.sync_api import expect

from tests.reports.helpers import TOWNSHIP, today

pytestmark = pytest.mark.browser


@pytest.fixture
def violations(page):
    """What Chromium refused under the policy, as it says it on the console."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_the_scripted_pages_work_under_the_policy(world, page, log_in, violations):
    log_in(page, "township")
    answer = page.goto(f"/areas/{TOWNSHIP}/reports/?day={today().isoformat()}")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    chart = page.locator("#report-trend canvas")
    expect(chart).to_have_count(1)
    # The tooltip, as a pointer over a day opens it (ECharts' HTML tooltip would be refused).
    page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('report-trend'))"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 3})"
    )
    page.wait_for_timeout(300)

    page.goto(f"/areas/{TOWNSHIP}/reports/print/?day={today().isoformat()}")
    expect(page.locator("#official-table")).to_be_visible()
    expect(page.locator("[data-print]")).to_be_visible()

    page.goto("/residents/")
    with page.expect_response(re.compile(r"/residents/")):
        page.fill("#id_q", "甲")
    expect(page.locator("#rows")).to_be_visible()

    page.select_option("#language", "en")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fangkong API")
    assert violations == [], violations[:3]
