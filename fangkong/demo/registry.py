"""What a grid worker has recorded about the generated people: statuses, key-group tags,
dismissed suggestions and the workers responsible for households (包片联户).

The tags follow the registry. People whom the rules of
`fangkong.people.selectors.suggested_key_groups` pick out (alone at home and 60 or over,
left behind, tenants) are mostly tagged; the rest are left for the suggestion list, and a
few of those suggestions were dismissed. In every grid the first lone elderly person found
is left untagged, so that each grid worker's suggestion list shows at least one person.
The other groups are drawn at rates close to a Quanzhou district's: disabled about 2 % of
residents, subsistence allowance (低保) and low income by household, pregnant women among
women of 20–40, and small numbers of orphans, children in difficulty and so on. People who
moved out or died keep their tags, ended on the day their status changed. About 90 % of
households have a responsible worker (the grid worker of their grid). Tags and dismissals in
the grids of the demo logins `grid` and `grid2` are recorded by them; elsewhere by nobody
(as if imported), since the other grid workers have no login.
"""

import datetime

from fangkong.demo.data import DISABILITIES, STATUS_NOTES
from fangkong.people.models import DismissedSuggestion, HouseholdAssignment, KeyGroup, Resident

AS_OF = datetime.date(2024, 12, 31)  # the data describe the population at this date
FIRST_RECORDS = datetime.date(2018, 1, 1)  # the oldest tags
K = KeyGroup.Kind
S = Resident.Status
AWAY = Resident.Residence.REGISTERED_AWAY
HERE = Resident.Residence.LIVING_HERE
# The share of people the rules pick out whom a worker has tagged (the rest are suggestions),
# and of the untagged ones whose suggestion was dismissed.
TAGGED = {
    K.LONE_ELDERLY: 0.85,
    K.LEFT_BEHIND_CHILD: 0.85,
    K.LEFT_BEHIND_ELDERLY: 0.8,
    K.TENANT: 0.8,
}
DISMISSED = 0.3
ASSIGNED = 0.9


def age(resident):
    born = resident.birth_date
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


class Registry:
    def __init__(self, rng):
        self.rng = rng
        self.grids_with_suggestion = set()
        self.recorders = {}  # grid id → user id of its grid worker, where the worker has a login

    def status(self, years, birth):
        """(status, since, note) of a person of this age: about 2 % moved out or died."""
        r = self.rng
        if r.random() < (0.1 if years >= 80 else 0.025 if years >= 60 else 0.002):
            status = S.DECEASED
        elif r.random() < (0.025 if 18 <= years <= 45 else 0.006):
            status = S.MOVED_OUT
        else:
            return S.ACTIVE, None, ""
        since = max(birth, AS_OF - datetime.timedelta(r.randrange(730)))
        return status, since, r.choice(STATUS_NOTES[status]) if r.random() < 0.7 else ""

    def household_tags(self, members):
        """KeyGroup and DismissedSuggestion rows (unsaved) for the saved members of a household."""
        r = self.rng
        self.tags, self.dismissed = [], []
        active = [m for m in members if m.status == S.ACTIVE]
        at_home = [m for m in active if m.residence != AWAY]
        someone_away = len(at_home) < len(active)
        adult_at_home = any(18 <= age(m) < 60 for m in at_home)
        for member in at_home:  # what the suggestion rules see
            years = age(member)
            if years >= 60 and len(at_home) == 1:
                self.implied(member, K.LONE_ELDERLY)
            if someone_away and not adult_at_home:
                if years < 16:
                    self.implied(member, K.LEFT_BEHIND_CHILD)
                elif years >= 60:
                    self.implied(member, K.LEFT_BEHIND_ELDERLY)
            if member.relation_to_head == Resident.Relation.TENANT:
                self.implied(member, K.TENANT)
            elif member.residence == HERE:  # a household renting here, registered elsewhere
                lone = len(members) == 1
                if lone and 18 <= years <= 40 and r.random() < 0.25:
                    self.tag(member, K.DORMITORY)
                elif r.random() < 0.6:
                    self.tag(member, K.TENANT)
                if 18 <= years <= 55 and r.random() < 0.05:
                    self.tag(member, K.MIGRANT_STAYING)
        if not any(m.residence == HERE for m in members):
            poor = r.random()
            if poor < 0.02:
                kind = K.SUBSISTENCE_ALLOWANCE
            elif poor < 0.032:
                kind = K.LOW_INCOME
            else:
                kind = None
            for member in active if kind else ():
                self.tag(member, kind)
                if kind == K.SUBSISTENCE_ALLOWANCE and age(member) < 18 and r.random() < 0.2:
                    self.tag(member, K.CHILD_IN_DIFFICULTY)
        for member in members:
            self.personal_tags(member, alone=len(active) == 1)
        return self.tags, self.dismissed

    def personal_tags(self, member, alone):
        r = self.rng
        years = age(member)
        disabled = 0.005 if years < 18 else 0.015 if years < 60 else 0.04 if years < 80 else 0.08
        if r.random() < disabled:
            self.tag(member, K.DISABLED, r.choice(DISABILITIES))
            if alone and years >= 60 and r.random() < 0.3:
                self.tag(member, K.EXTREME_POVERTY)
        if years < 18:
            child = r.random()
            if child < 0.0008:
                self.tag(member, K.SCATTERED_ORPHAN)
            elif child < 0.0018:
                self.tag(member, K.UNSUPPORTED_CHILD)
            elif child < 0.0048:
                self.tag(member, K.CHILD_IN_DIFFICULTY)
        if r.random() < 0.003:
            self.tag(member, K.SPECIAL_HARDSHIP)
        if member.sex == "female" and 20 <= years <= 40 and member.status == S.ACTIVE:
            pregnant = r.random()
            if pregnant < 0.035:  # pregnant now, or a mother of a baby
                found = AS_OF - datetime.timedelta(r.randrange(1, 300))
                self.tag(member, K.PREGNANT, found_on=found)
            elif pregnant < 0.05:  # an earlier pregnancy, over
                found = AS_OF - datetime.timedelta(r.randrange(400, 1400))
                self.tag(member, K.PREGNANT, found_on=found, ended=found + datetime.timedelta(300))

    def implied(self, member, kind):
        """A kind the rules suggest: tagged, or left for the suggestion list, or dismissed."""
        r = self.rng
        if kind == K.LONE_ELDERLY and member.area_id not in self.grids_with_suggestion:
            self.grids_with_suggestion.add(member.area_id)
        elif r.random() < TAGGED[kind]:
            self.tag(member, kind)
        elif r.random() < DISMISSED:
            self.dismissed.append(
                DismissedSuggestion(
                    resident=member,
                    kind=kind,
                    area_id=member.area_id,
                    area_path=member.area_path,
                    dismissed_by_id=self.recorders.get(member.area_id),
                )
            )

    def tag(self, member, kind, note="", found_on=None, ended=None):
        if any(t.resident is member and t.kind == kind and not t.ended_on for t in self.tags):
            return
        if found_on is None:
            start = max(member.birth_date, FIRST_RECORDS)
            found_on = start + datetime.timedelta(self.rng.randrange((AS_OF - start).days + 1))
        if member.status != S.ACTIVE:  # it ended when the person left or died
            ended = member.status_changed_on
            found_on = min(found_on, ended)
        self.tags.append(
            KeyGroup(
                resident=member,
                area_id=member.area_id,
                area_path=member.area_path,
                kind=kind,
                found_on=found_on,
                note=note,
                recorded_by_id=self.recorders.get(member.area_id),
                ended_on=ended,
            )
        )

    def assignments(self, households, grid_workers):
        """包片联户: most households get their grid's worker; the rest wait for one."""
        return [
            HouseholdAssignment(
                household=household,
                worker_id=grid_workers[household.area_id],
                area_id=household.area_id,
                area_path=household.area_path,
            )
            for household in households
            if self.rng.random() < ASSIGNED
        ]
