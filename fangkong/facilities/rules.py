"""What a facility may hold now: its state from the risk level and a suspension by hand.

The level is the one gatherings and meetings follow (`response.selectors.level_at`): the
facility's place's effective level, or the level of an emergency response active over it if
higher. At low risk it holds its `low_risk_percent` of its normal capacity (at least one);
at medium or high risk it is suspended, whatever is stored, and reopens by itself when the
level falls back to low. A suspension by hand holds at any level until someone reopens it."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from fangkong.response.models import RiskLevel
from fangkong.response.selectors import level_at


@dataclass(frozen=True)
class State:
    level: str
    open: bool
    limit: int  # people it may hold now; 0 when suspended
    reason: str  # in words: why suspended, or how its capacity is reduced
    by_hand: bool = False

    @property
    def level_label(self):
        return RiskLevel(self.level).label


def reduced(capacity, percent):
    """The capacity at low risk: `percent` of `capacity`, rounded down, at least one."""
    return max(1, capacity * percent // 100)


def state_of(facility, level):
    """The `State` of `facility` when its place is at `level`."""
    if not facility.is_active:
        return State(level, False, 0, _("No longer in use."))
    if facility.suspended:
        return State(level, False, 0, facility.suspension_reason, by_hand=True)
    if level != RiskLevel.LOW:
        return State(
            level,
            False,
            0,
            _("Suspended at %(level)s; it reopens when the level is low again.")
            % {"level": RiskLevel(level).label},
        )
    limit = reduced(facility.capacity, facility.low_risk_percent)
    return State(
        level,
        True,
        limit,
        _("At low risk it holds %(percent)d%% of its capacity of %(capacity)d: %(limit)d.")
        % {"percent": facility.low_risk_percent, "capacity": facility.capacity, "limit": limit},
    )


def current_state(facility):
    """The `State` of `facility` now (two queries: its place's level and response)."""
    return state_of(facility, level_at(facility.area))
