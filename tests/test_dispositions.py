"""The disposition both kinds of alert share (fangkong/dispositions.py): the same columns, the
same rule of closing, each with its own list of what may be done."""

import pytest
from django.core.exceptions import ValidationError

from fangkong.checkpoints.models import GateAlert
from fangkong.dispositions import Disposed, close
from fangkong.monitoring.models import Alert
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Alert, GateAlert])
def test_both_alerts_close_by_the_one_rule(world, model):
    assert issubclass(model, Disposed)
    alert = every(model).filter(closed_at=None).first()
    actor = world.users["community"]
    with pytest.raises(ValidationError) as refused:
        close(alert, actor=actor, disposition="no such thing")
    assert "选择" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        close(alert, actor=actor, disposition=model.Disposition.OTHER, note="  ")
    assert every(model).get(pk=alert.pk).closed_at is None
    close(alert, actor=actor, disposition=model.Disposition.REFERRED, note=" 已送发热门诊 ")
    saved = every(model).get(pk=alert.pk)
    assert (saved.disposition, saved.disposition_note, saved.closed_by) == (
        "referred",
        "已送发热门诊",
        actor,
    )
    with pytest.raises(ValidationError):
        close(saved, actor=actor, disposition=model.Disposition.REFERRED)


def test_only_the_gate_may_turn_a_person_back(world):
    assert "turned_back" in GateAlert.Disposition.values
    assert "turned_back" not in Alert.Disposition.values
