import uuid

from fangkong.notices import services

COMMUNITY = "350502001001"  # 新华社区, its notice 17001
TOWNSHIP = "350502001000"  # 海滨街道, its notice 17002
OTHER_COMMUNITY = "350502002001"  # 聚宝社区 in the other township, its notice 17003
GRID = "350502001001001"


def published_notice(
    world, user="community", code=COMMUNITY, title="春节期间防控通告", body="正文"
):
    """A notice written and published by the persona, through the services."""
    actor = world.users[user]
    notice = services.create_notice(
        actor=actor,
        area=world.areas[code],
        kind="advice",
        title=title,
        body=body,
        client_uuid=uuid.uuid4(),
    )
    services.publish(actor=actor, notice=notice, version=1)
    return notice
