"""Notifications are part of the change they tell about: stored in its transaction, carried by
the channels once it commits, and never sent for a change rolled back."""

import io

import pytest
from django.db import transaction

from fangkong.notifications.channels import ConsoleChannel
from fangkong.notifications.models import Notification
from fangkong.notifications.services import notify

CAPTURED = io.StringIO()


class CapturingChannel(ConsoleChannel):
    def __init__(self):
        super().__init__(CAPTURED)


@pytest.fixture
def channel(settings):
    settings.FANGKONG_NOTIFICATION_CHANNELS = [f"{__name__}.CapturingChannel"]
    CAPTURED.seek(0)
    CAPTURED.truncate()
    return CAPTURED


class RolledBack(Exception):
    pass


def test_a_change_rolled_back_sends_nothing(world, channel, django_capture_on_commit_callbacks):
    user = world.users["grid"]
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RolledBack),
        transaction.atomic(),
    ):
        assert notify([user], key="k:rolled-back", message="回滚的提醒") == 1
        raise RolledBack
    assert callbacks == []  # nothing is left to run on commit
    assert not Notification.objects.filter(user=user).exists()
    assert channel.getvalue() == ""


def test_the_channels_carry_a_notification_only_once_its_change_commits(
    world, channel, django_capture_on_commit_callbacks
):
    user = world.users["grid"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert notify([user], key="k:committed", message="提交的提醒") == 1
        assert channel.getvalue() == ""  # not yet: the change has not committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert "提交的提醒" in channel.getvalue()
    # The same key again tells nobody and carries nothing.
    with django_capture_on_commit_callbacks(execute=True) as again:
        assert notify([user], key="k:committed", message="提交的提醒") == 0
    assert again == []
    assert Notification.objects.filter(user=user).count() == 1


def test_several_users_are_told_at_once_each_once(
    world, channel, django_capture_on_commit_callbacks
):
    grid, community = world.users["grid"], world.users["community"]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([grid], key="k:several", message="多人的提醒") == 1
    with django_capture_on_commit_callbacks(execute=True):
        # grid was told before; community is named twice
        assert notify([grid, community, community], key="k:several", message="多人的提醒") == 1
    assert Notification.objects.filter(key="k:several").count() == 2
    assert channel.getvalue().count("多人的提醒") == 2


def test_a_user_told_meanwhile_by_another_run_is_not_told_again(
    world, channel, django_capture_on_commit_callbacks, monkeypatch
):
    grid, community = world.users["grid"], world.users["community"]
    Notification.objects.create(user=grid, key="k:race", message="另一次运行的提醒")
    # As if the other run's row landed between the look for earlier ones and the INSERT.
    monkeypatch.setattr(Notification.objects, "filter", lambda **_: Notification.objects.none())
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([grid, community], key="k:race", message="竞争的提醒") == 1
    assert Notification.objects.get(user=community, key="k:race").message == "竞争的提醒"
    assert Notification.objects.get(user=grid, key="k:race").message == "另一次运行的提醒"
    assert channel.getvalue().count("竞争的提醒") == 1
