"""Matching the rows of a list with the registry, in bulk: by the ID number's digest, else the
phone's, else the name in the row's community. Queries take ~2,000 values at a time (as the
resident import does), never one per row.

Only residents inside the list's area are matched: a person registered elsewhere is not this
uploader's to verify, and where they live is not told.
"""

from collections import defaultdict
from dataclasses import dataclass

from fangkong.areas.models import Area, Level
from fangkong.people.import_plan import DIGESTS, select
from fangkong.people.imports import fold
from fangkong.people.models import HouseholdAssignment, Resident
from fangkong.verification.models import VerificationEntry

MatchedBy = VerificationEntry.MatchedBy
UPLOAD = "verification.add_verificationlist"  # the uploader holds it on the list's area
FIELDS = (
    *("pk", "area_id", "area_path", "household_id", "name"),
    *("id_number_hash", "phone_hash", "status"),
)


@dataclass
class Match:
    """Where one row goes: the resident found (a dict of FIELDS) or None, how it was found,
    and the area of its task (the resident's grid, else a community, else the list's area)."""

    resident: dict | None
    matched_by: str
    area_id: int
    area_path: str
    worker_id: int | None = None


def match_rows(area, rows, *, actor):
    """{row number: Match} for the clean rows of a list `actor` uploads into `area`."""
    inside = area.path
    found = {}

    def keep(candidates):
        return [c for c in candidates if c["area_path"].startswith(inside)]

    # 1. ID numbers: one person each (a unique digest).
    by_id = {}
    digests = {row.id_number_hash for row in rows if row.id_number_hash}
    for resident in keep(select(Resident, FIELDS, "id_number_hash", digests, DIGESTS)):
        by_id[resident["id_number_hash"]] = resident
    for row in rows:
        resident = by_id.get(row.id_number_hash) if row.id_number_hash else None
        if resident:
            found[row.number] = (resident, MatchedBy.ID_NUMBER)

    # 2. Phones: a family may share one; the person of the row's name, or the only one.
    rest = [row for row in rows if row.number not in found]
    by_phone = defaultdict(list)
    phones = {row.phone_hash for row in rest if row.phone_hash}
    for resident in keep(select(Resident, FIELDS, "phone_hash", phones)):
        by_phone[resident["phone_hash"]].append(resident)
    for row in rest:
        candidates = [c for c in by_phone.get(row.phone_hash, ()) if compatible(row, c)]
        resident = pick(row, candidates)
        if resident:
            found[row.number] = (resident, MatchedBy.PHONE)

    # 3. The name in the row's community: only when exactly one person has it there.
    communities = community_finder(actor, area)
    places = {row.number: communities(row.community) for row in rows}
    rest = [row for row in rows if row.number not in found and places[row.number]]
    by_name = defaultdict(list)
    for resident in keep(namesakes(rest, places)):
        by_name[resident["name"]].append(resident)
    for row in rest:
        path = places[row.number].path
        candidates = [
            c
            for c in by_name.get(row.name, ())
            if c["area_path"].startswith(path) and compatible(row, c)
        ]
        if len(candidates) == 1:
            found[row.number] = (candidates[0], MatchedBy.NAME)

    # People waiting for a household (待落户) have no responsible worker yet.
    workers = responsible_workers(
        {r["household_id"] for r, _by in found.values() if r["household_id"]}
    )
    matches = {}
    for row in rows:
        if row.number in found:
            resident, matched_by = found[row.number]
            matches[row.number] = Match(
                resident,
                matched_by,
                resident["area_id"],
                resident["area_path"],
                workers.get(resident["household_id"]),
            )
        else:
            place = places[row.number] or area
            matches[row.number] = Match(None, MatchedBy.NONE, place.pk, place.path)
    return matches


def namesakes(rows, places):
    """The residents who bear a row's name in that row's community.

    First the name and place of everyone bearing one of the names, from the index
    `resident_name_place` alone (a common name is borne by hundreds in a county), then the
    whole records of those in the right community only: the first list after a restart reads
    a few index pages instead of 46,000 scattered rows (SQLite at 10⁶, the operating
    system's cache emptied: 5.1 s → 2.2 s). A condition on the county's path instead would
    make the databases read its whole range of the path index (4.8 s)."""
    wanted = defaultdict(list)
    for row in rows:
        wanted[row.name].append(places[row.number].path)
    here = {
        bearer["pk"]
        for bearer in select(Resident, ("pk", "name", "area_path"), "name", wanted)
        if any(bearer["area_path"].startswith(path) for path in wanted[bearer["name"]])
    }
    return select(Resident, FIELDS, "id", here)


def compatible(row, resident):
    """A resident registered with another ID number is someone else."""
    return not (
        row.id_number_hash
        and resident["id_number_hash"]
        and row.id_number_hash != resident["id_number_hash"]
    )


def pick(row, candidates):
    if len(candidates) == 1:
        return candidates[0]
    named = [c for c in candidates if c["name"] == row.name]
    return named[0] if len(named) == 1 else None


def responsible_workers(household_ids):
    """{household id: worker id} of the households' responsible workers (包片联户)."""
    return {
        a["household_id"]: a["worker_id"]
        for a in select(
            HouseholdAssignment, ("household_id", "worker_id"), "household", household_ids
        )
    }


def community_finder(actor, area):
    """A function giving the community a row names, or None: the list's own community (or the
    grid's) when the list is one's; else the community of the list's area whose name or code
    is the text, or the only one whose name starts with it (新华 → 新华社区)."""
    if area.level == Level.GRID:
        own = area.parent
    elif area.level == Level.COMMUNITY:
        own = area
    else:
        own = None
    if own is not None:
        return lambda text: own
    communities = list(
        Area.objects.visible_to(actor, UPLOAD)
        .within(area)
        .filter(level=Level.COMMUNITY)
        .only("pk", "path", "name", "code")
    )
    exact = {}
    for community in communities:
        exact[fold(community.name)] = community
        exact[community.code] = community
    known = {}

    def find(text):
        if not text:
            return None
        key = fold(text)
        if key not in known:
            community = exact.get(key)
            if community is None:
                starting = [c for c in communities if fold(c.name).startswith(key)]
                community = starting[0] if len(starting) == 1 else None
            known[key] = community
        return known[key]

    return find
