"""What commendations add to each grid of the test world (tests/world.py): a community-level
commendation of the grid's worker, proposed (named by the grid's tag). Primary keys 46500 + …"""

from fangkong.commendations.models import Commendation
from tests.world import every


def make(world, code, tag, i):
    worker = world.workers[code]
    return {
        "commendation": every(Commendation).create(
            pk=46500 + i,
            area=worker.area,
            worker=worker,
            title=f"{tag}优秀网格员",
            reason=f"{tag}坚守一线",
            level="community",
        )
    }
