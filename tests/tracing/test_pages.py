"""The tracing pages as the roles use them: the medical worker records a case and its
contacts, the other community sees only its task (the source withheld), the lists are scoped
and their queries counted, the chain draws, pages and exports."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from fangkong.audit.models import AuditEvent
from fangkong.tracing.models import Case, Contact, TracedPerson, TracingTask
from tests.tracing.helpers import GRID, OTHER_GRID, case, contact, days_ago, person
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def case_form(**data):
    return {
        "name": "张病例",
        "id_number": "",
        "phone": "13900002222",
        "area": "",
        "address": "",
        "classification": "confirmed",
        "reported_on": days_ago(0).isoformat(),
        "onset_on": days_ago(2).isoformat(),
        "isolated_on": "",
        "source": "found",
        "list_reference": "",
        "note": "",
        "client_uuid": "6f1c3c1e-8d43-4a3e-9a57-2f7c9b0e1a11",
        **data,
    }


def test_a_medical_worker_records_a_case_and_a_contact_in_another_community(as_user, world):
    client = as_user(world.users["medical"])
    answer = client.post(reverse("tracing_case_add"), case_form(area=world.areas[GRID].pk))
    recorded = every(Case).get(person__name="张病例")
    assert answer.status_code == 302 and answer.url == reverse("tracing_case", args=[recorded.pk])
    again = client.post(reverse("tracing_case_add"), case_form(area=world.areas[GRID].pk))
    assert again.status_code == 302 and every(Case).filter(person__name="张病例").count() == 1
    contact_url = reverse("tracing_contact_add", args=[recorded.person_id])
    form = client.get(contact_url)
    assert "聚宝第一网格" not in form.content.decode()  # another community: by its code
    answer = client.post(
        contact_url,
        {
            "name": "李远亲",
            "area_code": OTHER_GRID,
            "exposed_on": days_ago(1).isoformat(),
            "setting": "dining",
            "client_uuid": "1b4e28ba-2fa1-11d2-883f-0016d3cca427",
        },
    )
    assert answer.status_code == 302
    edge = every(Contact).get(person__name="李远亲")
    assert edge.person.category == "close_contact" and edge.area == world.areas[OTHER_GRID]
    page = client.get(reverse("tracing_case", args=[recorded.pk])).content.decode()
    assert "李远亲" in page  # the tracing team sees the contacts of its case

    township2 = as_user(world.users["township2"])
    task = every(TracingTask).get(contact=edge)
    tasks = township2.get(reverse("tracing_tasks")).content.decode()
    assert "李远亲" in tasks
    shown = township2.get(reverse("tracing_task", args=[task.pk])).content.decode()
    assert "李远亲" in shown and "张病例" not in shown and "病例" in shown
    assert township2.get(reverse("tracing_case", args=[recorded.pk])).status_code == 404


def test_bad_input_shows_chinese_messages_and_changes_nothing(as_user, world):
    client = as_user(world.users["medical"])
    a = person(world, "甲")
    case(world, a, isolated_on=days_ago(3), reported_on=days_ago(3))
    before = every(Contact).count()
    answer = client.post(
        reverse("tracing_contact_add", args=[a.pk]),
        {
            "name": "乙",
            "area": world.areas[GRID].pk,
            "exposed_on": days_ago(1).isoformat(),
            "setting": "work",
            "client_uuid": "2b4e28ba-2fa1-11d2-883f-0016d3cca427",
        },
    )
    assert answer.status_code == 200 and "不能登记该日之后的暴露" in answer.content.decode()
    answer = client.post(
        reverse("tracing_case_add"),
        case_form(area=world.areas[GRID].pk, reported_on="9999-12-31"),
    )
    assert answer.status_code == 200
    assert every(Contact).count() == before
    assert not every(TracedPerson).filter(name__in=["乙", "张病例"]).exists()


def test_the_lists_are_scoped_and_their_queries_counted(
    as_user, world, django_assert_max_num_queries
):
    a = person(world, "甲")
    case(world, a)
    for i in range(5):
        contact(world, a, person(world, f"密接{i}"))
    client = as_user(world.users["medical"])
    for name, tag in (
        ("tracing_cases", "甲格居民"),
        ("tracing_persons", "密接4"),
        ("tracing_tasks", "密接4"),
    ):
        with django_assert_max_num_queries(12):
            text = client.get(reverse(name)).content.decode()
        assert tag in text and "丙格" not in text
    assert as_user(world.users["volunteer"]).get(reverse("tracing_cases")).status_code == 403


def test_the_chain_draws_pages_and_exports(as_user, world):
    a = person(world, "甲")
    recorded = case(world, a)
    b = person(world, "乙")
    contact(world, a, b)
    far = person(world, "远亲", code=OTHER_GRID)
    contact(world, b, far)
    client = as_user(world.users["medical"])
    page = client.get(reverse("tracing_chain", args=[recorded.pk]))
    assert page.status_code == 200 and "chain.js" in page.content.decode()
    data = client.get(reverse("tracing_chain_data", args=[recorded.pk])).json()
    names = {n["name"] for n in data["nodes"]}
    assert "乙" in names and "远亲" not in names and "远*" in names  # outside: masked
    assert len(data["links"]) == 2
    assert client.get(reverse("tracing_chain", args=[recorded.pk]) + "?depth=x").status_code == 200
    export = client.get(reverse("tracing_chain_export", args=[recorded.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0)
    rows = rows.to_python()
    assert len(rows) == 4 and rows[1][1] == "甲"
    assert every(AuditEvent).filter(action="tracing.export").exists()


def test_a_suggestion_is_confirmed_on_the_person_page(as_user, world):
    from tests.tracing.test_services import household_of_two

    a = person(world, "甲")
    case(world, a)
    close, member = household_of_two(world)
    contact(world, a, close)
    client = as_user(world.users["medical"])
    page = client.get(reverse("tracing_person", args=[close.pk])).content.decode()
    assert "甲格家人" in page and "suggestion-confirm" in page
    suggestion = every(Contact).get(source=close, person__resident=member)
    client.post(reverse("tracing_suggestion", args=[suggestion.pk]), {"decision": "confirm"})
    assert every(TracedPerson).get(resident=member).category == "secondary_contact"
