"""Reversing a movement entered wrongly (docs/supplies.md): a counter-movement in the
transaction of the stock row, never an edit of the movement; audited; refused when stock
would go below zero or when it was reversed already; a transfer is undone on both sides."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.supplies import services
from fangkong.supplies.models import Stock, StockMovement
from tests.supplies.helpers import COMMUNITY, GRID, TOWNSHIP, item, move, transfer
from tests.world import every

pytestmark = pytest.mark.django_db


def stock(world, code=COMMUNITY):
    return every(Stock).get(area=world.areas[code], item=item())


def reverse(world, movement, *, user="community", reason="数量录错", **kw):
    return services.reverse_movement(
        actor=world.users[user], movement=movement, reason=reason, **kw
    )


def test_a_wrong_receipt_is_reversed_by_a_counter_movement_and_audited(world):
    received = move(world, "received", 500)
    reversal = reverse(world, received)
    assert (reversal.kind, reversal.change, reversal.balance_after) == ("reversed", -500, 0)
    assert reversal.reverses == received and reversal.note == "数量录错"
    assert stock(world).quantity == 0
    kept = every(StockMovement).get(pk=received.pk)  # history is not edited
    assert (kept.kind, kept.quantity, kept.balance_after) == ("received", 500, 500)
    event = every(AuditEvent).get(action="supplies.reversed", target_id=reversal.pk)
    assert event.detail["reverses"] == received.pk and event.detail["reason"] == "数量录错"


def test_a_wrong_issue_and_a_wrong_stocktake_are_given_back(world):
    move(world, "received", 100)
    issued = move(world, "issued", 30)
    assert reverse(world, issued).balance_after == 100
    counted = move(world, "counted", 60)
    assert reverse(world, counted).balance_after == 100


def test_a_reversal_that_would_make_stock_negative_is_refused_and_changes_nothing(world):
    received = move(world, "received", 100)
    move(world, "issued", 80)
    before = every(StockMovement).count()
    with pytest.raises(ValidationError) as refused:
        reverse(world, received)
    assert "quantity" in refused.value.message_dict
    assert every(StockMovement).count() == before
    assert stock(world).quantity == 20


def test_a_movement_is_reversed_once_and_a_reversal_is_not_reversed(world):
    received = move(world, "received", 100)
    reversal = reverse(world, received)
    with pytest.raises(ValidationError):
        reverse(world, received)
    with pytest.raises(ValidationError):
        reverse(world, reversal)
    assert stock(world).quantity == 0


def test_a_reason_is_required(world):
    received = move(world, "received", 100)
    with pytest.raises(ValidationError) as refused:
        reverse(world, received, reason="  ")
    assert "reason" in refused.value.message_dict


def test_a_transfer_is_undone_on_both_sides_by_who_may_transfer(world):
    move(world, "received", 200, user="township", code=TOWNSHIP)
    moved = transfer(world, 50)
    assert stock(world, TOWNSHIP).quantity == 150
    with pytest.raises(PermissionDenied):  # the receiving community may not transfer
        reverse(world, moved, user="community")
    reversal = reverse(world, moved, user="township")
    assert (reversal.change, reversal.balance_after, reversal.from_balance_after) == (-50, 0, 200)
    assert stock(world).quantity == 0
    assert stock(world, TOWNSHIP).quantity == 200


def test_who_may_not_record_the_movement_may_not_reverse_it(world):
    move(world, "received", 100, user="community", code=GRID)
    issued = move(world, "issued", 10, user="grid", code=GRID)
    received = every(StockMovement).get(kind="received", area=world.areas[GRID])
    assert reverse(world, issued, user="grid").balance_after == 100  # the grid worker issues
    with pytest.raises(PermissionDenied):  # but does not receive
        reverse(world, received, user="grid")


def test_the_api_reverses_once_per_client_uuid(world):
    received = move(world, "received", 100)
    client = APIClient()
    client.force_authenticate(world.users["community"])
    body = {"reason": "录错了", "client_uuid": str(uuid.uuid4())}
    url = f"/api/stock-movements/{received.pk}/reverse/"
    first = client.post(url, body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["reverses"] == received.pk
    assert client.post(url, body, format="json").status_code == 200
    assert (
        client.get(f"/api/stock-movements/{received.pk}/").json()["reversed_by"]
        == (first.json()["id"])
    )
    again = client.post(url, {"reason": "再撤"}, format="json")
    assert again.status_code == 400
    assert stock(world).quantity == 0


def test_the_page_reverses_with_a_reason(as_user, world):
    received = move(world, "received", 100)
    client = as_user(world.users["community"])
    page = client.get(f"/supplies/movements/{received.pk}/")
    assert b'id="movement-reverse"' in page.content
    url = f"/supplies/movements/{received.pk}/reverse/"
    empty = client.post(url, {"reason": "", "client_uuid": str(uuid.uuid4())})
    assert empty.status_code == 200 and stock(world).quantity == 100
    done = client.post(url, {"reason": "录错了", "client_uuid": str(uuid.uuid4())})
    assert done.status_code == 302
    assert stock(world).quantity == 0
    page = client.get(f"/supplies/movements/{received.pk}/")
    assert b'id="movement-reversed"' in page.content
    assert b'id="movement-reverse"' not in page.content
    grid = as_user(world.users["grid"])
    assert grid.post(url, {"reason": "x"}).status_code in (403, 404)
