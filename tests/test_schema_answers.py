"""The published schema (docs/openapi.yaml) tells the truth: real answers of the API, as several
roles see the world, validate against the schema the file gives for their status.

Every GET route without a path parameter is asked as each persona, and the detail routes of
the records whose answers once strayed from the schema: a person with no ID number (blank
sex), an open alert (blank disposition), an open task with nobody responsible (blank result,
null worker), the province (null parent code), the monitoring day counts (a bare list).
`.ci/fuzz` asks the same question of the whole API with schemathesis."""

from pathlib import Path

import jsonschema
import pytest
import yaml
from rest_framework.test import APIClient

from fangkong.verification.models import VerificationTask
from tests.world import every, make_resident

SCHEMA = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml").read_text()
)
LIST_ROUTES = [
    path
    for path, operations in SCHEMA["paths"].items()
    if "get" in operations and "{" not in path and path != "/api/schema/"
]


def as_json_schema(node):
    """OpenAPI 3.0's `nullable` spelled as JSON Schema: null is one more type allowed."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: as_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if isinstance(node.get("type"), str) and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


COMPONENTS = as_json_schema(SCHEMA["components"]["schemas"])


def errors_of(schema, body):
    """What is wrong with the body by the schema (OpenAPI, its components the published ones)."""
    document = {**as_json_schema(schema), "components": {"schemas": COMPONENTS}}
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in jsonschema.Draft7Validator(document).iter_errors(body)
    ]


def check_answer(path, response, template=None):
    """The answer's body against the schema of its route (`template`, as the schema spells the
    path) for its status."""
    operation = SCHEMA["paths"][template or path]["get"]
    answer = operation["responses"].get(str(response.status_code))
    assert answer is not None, f"{path}: {response.status_code} is not in the schema"
    if "content" not in answer:
        return
    assert response["Content-Type"].startswith("application/json"), path
    errors = errors_of(answer["content"]["application/json"]["schema"], response.json())
    assert not errors, f"{path}: " + "; ".join(errors[:5])


@pytest.fixture
def strays(world):
    """The records whose answers once left the schema."""
    grid = "350502001001001"
    make_resident(world.households[grid], "无证居民")  # no ID number: sex left blank
    task = world.verification_tasks[grid]
    every(VerificationTask).filter(pk=task.pk).update(worker=None)
    return world


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("username", ["sysadmin", "community", "grid"])
def test_every_list_answers_as_the_schema_says(strays, username):
    client = api_as(strays.users[username])
    asked = 0
    for path in LIST_ROUTES:
        response = client.get(path)
        if response.status_code in (403, 404):
            continue  # a route this role may not read (the walker tests which)
        check_answer(path, response)
        asked += 1
    assert asked > len(LIST_ROUTES) // 2


def test_the_answers_that_strayed_from_the_schema_now_keep_to_it(strays):
    grid = "350502001001001"
    sysadmin, community = (api_as(strays.users[name]) for name in ("sysadmin", "community"))

    province = sysadmin.get("/api/areas/350000000000/")
    assert province.json()["parent_code"] is None
    check_answer("/api/areas/350000000000/", province, "/api/areas/{code}/")

    residents = community.get("/api/residents/").json()["results"]
    assert "" in {r["sex"] for r in residents}
    check_answer("/api/residents/", community.get("/api/residents/"))

    alert = strays.alerts[grid]
    answer = community.get(f"/api/alerts/{alert.pk}/")
    assert answer.json()["disposition"] == ""
    check_answer(f"/api/alerts/{alert.pk}/", answer, "/api/alerts/{id}/")

    task = strays.verification_tasks[grid]
    answer = community.get(f"/api/verification-tasks/{task.pk}/")
    assert answer.json()["result"] == "" and answer.json()["worker"] is None
    check_answer(f"/api/verification-tasks/{task.pk}/", answer, "/api/verification-tasks/{id}/")

    today = community.get("/api/monitoring-plans/today/")
    assert isinstance(today.json(), list)
    check_answer("/api/monitoring-plans/today/", today)


def test_the_check_finds_what_the_old_schema_got_wrong():
    """The validator is strict: the old declarations fail on the answers they described."""
    blank_disposition = {"disposition": "", "closed_at": None}
    old_alert = {
        "type": "object",
        "properties": {"disposition": {"$ref": "#/components/schemas/AlertDispositionEnum"}},
    }
    assert errors_of(old_alert, blank_disposition)
    old_province = {"type": "object", "properties": {"parent_code": {"type": "string"}}}
    assert errors_of(old_province, {"parent_code": None})
    old_today = {"$ref": "#/components/schemas/PaginatedPlanList"}
    assert errors_of(old_today, [{"area": "350502001001001"}])


NUMBER_PARAMETERS = [
    (path, parameter["name"])
    for path in LIST_ROUTES
    for parameter in SCHEMA["paths"][path]["get"].get("parameters", [])
    if parameter.get("in") == "query"
    and parameter.get("schema", {}).get("type") in ("integer", "number")
    and parameter["name"] not in ("page", "page_size")
]


def test_every_number_a_list_takes_is_refused_in_words_when_out_of_range(world):
    """A number past what the database holds is the caller's mistake (400), never a 500: the
    fuzz run once found `?response=-8.7e264` on the measure tasks."""
    client = api_as(world.users["community"])
    assert ("/api/measure-tasks/", "response") in NUMBER_PARAMETERS
    for path, name in NUMBER_PARAMETERS:
        for value in ("-8.717613424229728e+264", str(2**70)):
            response = client.get(path, {name: value})
            assert response.status_code in (400, 403, 404), (path, name, response.status_code)
