"""A forwarding level adds figures of its own to ask of its subtree: stored as that level's
addition, asked in the reports below it, marked by level and visible upward (层层加码 of
figures made visible); a figure already asked above is never asked twice."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from fangkong.directives import report_services, selectors, services
from fangkong.directives.asks import added_key
from fangkong.directives.models import DirectiveReceipt
from tests.directives.helpers import COMMUNITY, COUNTY, TOWNSHIP, hours, issue, receipt_of
from tests.world import every

pytestmark = pytest.mark.django_db

FIGURE = "directives_unacknowledged"


def forward_adding(world, directive, **more):
    values = {
        "actor": world.users["township"],
        "receipt": receipt_of(directive, TOWNSHIP),
        "level": "community",
        "ack_due_at": hours(20),
        "report_due_at": hours(60),
        "addition": "另报返乡人员数。",
        "figures": [FIGURE],
        "asked": ["返乡人员数"],
    }
    values.update(more)
    return services.forward(**values)


def test_added_figures_are_asked_below_marked_by_level_and_summed_above(world):
    directive = issue(world)
    township = forward_adding(world, directive)
    assert (township.figures, township.asked) == ([FIGURE], ["返乡人员数"])
    added = added_key(township.pk, 0)
    community = receipt_of(directive, COMMUNITY)
    asked = selectors.asks_for(community)
    assert [(a.key, a.typed, a.by and a.by.code) for a in asked] == [
        ("asked-0", True, None),
        (FIGURE, False, TOWNSHIP),
        (added, True, TOWNSHIP),
    ]
    # The community types both figures; one missing is refused with its label.
    with pytest.raises(ValidationError) as refused:
        report_services.send_report(
            actor=world.users["community"], receipt=community, typed={"asked-0": 3}
        )
    assert added in refused.value.message_dict
    sent = report_services.send_report(
        actor=world.users["community"], receipt=community, typed={"asked-0": 3, added: 12}
    )
    assert sent.typed == {"asked-0": 3, added: 12} and FIGURE in sent.figures
    # The county sees the township's figure summed, marked as the township's.
    sums = selectors.sums(world.users["county"], directive, world.areas[COUNTY])
    assert (added, "返乡人员数", 12, True, world.areas[TOWNSHIP]) in sums
    # The township's own report sums what it added too.
    own = report_services.send_report(actor=world.users["township"], receipt=township)
    assert own.typed == {"asked-0": 3, added: 12}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"asked": ["排查场所数"]}, "asked"),  # the county asks it already
        ({"asked": ["返乡人员数", "返乡人员数"]}, "asked"),
        ({"asked": [f"指标{i}" for i in range(11)]}, "asked"),
        ({"figures": ["no_such_figure"]}, "figures"),
    ],
)
def test_a_figure_asked_twice_or_unknown_is_refused_and_nothing_changes(world, change, field):
    directive = issue(world, figures=[FIGURE] if field == "figures" else [])
    with pytest.raises(ValidationError) as refused:
        forward_adding(world, directive, **change)
    assert field in refused.value.message_dict
    receipt = receipt_of(directive, TOWNSHIP)
    assert receipt.forwarded_at is None and receipt.asked == []
    assert every(DirectiveReceipt).filter(directive=directive).count() == 2


def test_a_figure_the_issuer_takes_is_not_added_again(world):
    directive = issue(world, figures=[FIGURE])
    with pytest.raises(ValidationError) as refused:
        forward_adding(world, directive, asked=[])
    assert world.areas[COUNTY].name in refused.value.message_dict["figures"][0]


def test_no_figure_is_added_to_a_directive_asking_no_report(world):
    directive = issue(world, report=False)
    with pytest.raises(ValidationError) as refused:
        forward_adding(world, directive, report_due_at=None)
    assert "asked" in refused.value.message_dict
    assert receipt_of(directive, TOWNSHIP).forwarded_at is None


def test_the_pages_and_the_api_show_the_added_figures(world):
    directive = issue(world)
    township = Client()
    township.force_login(world.users["township"])
    receipt = receipt_of(directive, TOWNSHIP)
    form = township.get(reverse("receipt_forward", args=[receipt.pk]))
    assert 'name="asked"' in form.content.decode()
    answer = township.post(
        reverse("receipt_forward", args=[receipt.pk]),
        {
            "level": "community",
            "ack_due_at": hours(20).strftime("%Y-%m-%dT%H:%M"),
            "report_due_at": hours(60).strftime("%Y-%m-%dT%H:%M"),
            "addition": "另报",
            "asked": "返乡人员数\n<b>核酸</b>人数",
        },
    )
    assert answer.status_code == 302, answer.context["form"].errors
    community = Client()
    community.force_login(world.users["community"])
    child = receipt_of(directive, COMMUNITY)
    page = community.get(reverse("receipt_detail", args=[child.pk])).content.decode()
    assert 'class="small mt-1 added-figures"' in page and "&lt;b&gt;核酸&lt;/b&gt;人数" in page
    form = community.get(reverse("receipt_report", args=[child.pk]))
    assert {"asked-0", added_key(receipt.pk, 0), added_key(receipt.pk, 1)} <= set(
        form.context["form"].fields
    )
    county = Client()
    county.force_login(world.users["county"])
    page = county.get(reverse("directive_detail", args=[directive.pk])).content.decode()
    assert "返乡人员数" in page and 'id="additions-below"' in page
    api = APIClient()
    api.force_authenticate(world.users["community"])
    shown = api.get(f"/api/directive-receipts/{child.pk}/").json()
    assert [(a["label"], a["added_by"]) for a in shown["asks"]] == [
        ("排查场所数", None),
        ("返乡人员数", TOWNSHIP),
        ("<b>核酸</b>人数", TOWNSHIP),
    ]
    assert shown["texts"][1]["figures_added"] == ["返乡人员数", "<b>核酸</b>人数"]


def test_the_api_forwards_with_figures_and_refuses_one_asked_above(world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    api = APIClient()
    api.force_authenticate(world.users["township"])
    body = {
        "level": "community",
        "ack_due_at": hours(20).isoformat(),
        "report_due_at": hours(60).isoformat(),
        "asked": ["排查场所数"],
    }
    url = f"/api/directive-receipts/{receipt.pk}/forward/"
    twice = api.post(url, body, format="json")
    assert twice.status_code == 400
    with translation.override("zh-hans"):
        message = gettext("%(label)s is already asked by %(area)s: it is not asked twice.")
    assert twice.json()["asked"] == [
        message % {"label": "排查场所数", "area": world.areas[COUNTY].name}
    ]
    assert receipt_of(directive, TOWNSHIP).forwarded_at is None
    answer = api.post(url, {**body, "asked": ["返乡人员数"], "figures": [FIGURE]}, format="json")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["added_asked"], answer.json()["added_figures"]) == (
        ["返乡人员数"],
        [FIGURE],
    )
    assert [a["key"] for a in answer.json()["asks"]] == [
        "asked-0",
        FIGURE,
        added_key(receipt.pk, 0),
    ]
