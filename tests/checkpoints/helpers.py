import uuid

from fangkong.areas.models import Building
from fangkong.checkpoints.models import Checkpoint, GateAlert, Passage, Registration
from fangkong.checkpoints.services import add_checkpoint, record_passage
from tests.world import every

COMMUNITY = "350502001001"
OTHER_COMMUNITY = "350502002001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OUTSIDE = "350502002001001"
VISITOR_ID = "350502199002023347"


def gate(world, code=COMMUNITY, **kwargs):
    """A checkpoint of a community, set up by its community worker (or the other township's
    supervisor for the other community)."""
    by = "community" if code == COMMUNITY else "township2"
    data = {"name": "东门", "kind": Checkpoint.Kind.BOTH, **kwargs}
    return add_checkpoint(actor=world.users[by], area=world.areas[code], **data)


def passage(world, checkpoint, *, by="checkpoint", **kwargs):
    data = {
        "direction": "in",
        "temperature": "36.5",
        "client_uuid": uuid.uuid4(),
        **kwargs,
    }
    if "visitor" not in data and "resident" not in data:
        data["resident"] = world.residents[GRID]
    return record_passage(actor=world.users[by], checkpoint=checkpoint, **data)


def visitor(**kwargs):
    return {
        "name": "王访客",
        "id_number": VISITOR_ID,
        "phone": "13900139000",
        "reason": "探亲",
        **kwargs,
    }


def fresh(world):
    """No gate records but the ones a test makes."""
    every(GateAlert).all().delete()
    every(Registration).all().delete()
    every(Passage).all().delete()
    every(Checkpoint).all().delete()
    return world


def compound(world, code=GRID):
    building = world.buildings[code]
    building.kind = Building.Kind.COMPOUND
    building.save()
    return building
