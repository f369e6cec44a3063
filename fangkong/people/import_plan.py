"""What a resident import changes: `check` compares the clean rows of a file with the
registry (for the preview, and again inside the commit); `import_writes.write` makes the
changes in bulk.

A row's person is found by the ID number's digest anywhere in the registry: inside the
importer's scope the row updates that person (and may move them to the row's household);
outside it the row is refused without saying where the number is registered. A row without
an ID number is the person of the same name in the same household, or someone new.

A row without an address (`Row.key` None) registers a new person in its grid without a
household (待落户), and changes nobody's place: without an ID number it is the person of
the same name waiting for a household in that grid.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, models
from django.utils.translation import gettext as _

from fangkong.areas.models import Building
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.scope import holds
from fangkong.spreadsheets import fold, problem

CHUNK = 2000  # values in one IN (…) and rows in one bulk statement
IMPORT = "people.add_importjob"
REGISTERED = (
    "pk",
    "household_id",
    "area_path",
    "name",
    "id_number_hash",
    "phone_hash",
    "sex",
    "birth_date",
    "relation_to_head",
    "residence",
)


@dataclass
class Change:
    """A row that is a registered person: the fields it changes and the key groups it adds."""

    row: object
    resident: dict  # the registry's values, REGISTERED
    fields: set
    kinds: set

    @property
    def moves(self):
        return "household" in self.fields


@dataclass
class Plan:
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    new: list = field(default_factory=list)  # rows of new residents
    changes: list = field(default_factory=list)  # Change of every updated row
    buildings: dict = field(default_factory=dict)  # building key → (grid, name) to create
    households: dict = field(default_factory=dict)  # household key → (building key, number, grid)
    building_ids: dict = field(default_factory=dict)  # building key → pk of those registered
    household_ids: dict = field(default_factory=dict)  # household key → pk of those registered

    @property
    def writes(self):
        return bool(self.new or self.changes)


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def select(model, fields, column, values, where=""):
    """{field: value} of `fields` ("pk" or attnames) of the rows whose `column` is one of
    `values`, a chunk at a time, in plain SQL: for an IN (…) of 2,000 values the ORM spends
    more time preparing each value than the database answering (and psycopg parses the long
    statement again); PostgreSQL gets one array, `= ANY(%s)`."""
    ops, meta = connection.ops, model._meta
    names = [meta.pk.attname if name == "pk" else name for name in fields]
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in names)
    dates = [
        i for i, name in enumerate(names) if isinstance(meta.get_field(name), models.DateField)
    ]
    key, table = ops.quote_name(meta.get_field(column).column), ops.quote_name(meta.db_table)
    is_id = isinstance(meta.get_field(column), models.ForeignKey | models.AutoField)
    array_type = "::bigint[]" if is_id else "::text[]"
    with connection.cursor() as cursor:
        for chunk in chunks(values):
            if connection.vendor == "postgresql":
                # One text parameter split by the server: adapting a list of 2,000 strings
                # costs psycopg a regular expression each. Digests and ids hold no comma.
                condition = f"{key} = ANY(string_to_array(%s, ','){array_type})"
                params = [",".join(map(str, chunk))]
            else:
                condition, params = f"{key} IN ({', '.join(['%s'] * len(chunk))})", chunk
            cursor.execute(f"SELECT {columns} FROM {table} WHERE {condition}{where}", params)
            for row in cursor.fetchall():
                if dates:
                    row = list(row)
                    for i in dates:  # SQLite answers dates as text
                        if isinstance(row[i], str):
                            row[i] = datetime.date.fromisoformat(row[i])
                yield dict(zip(fields, row, strict=True))


# The condition of the unique index on the digest, repeated: without it neither database
# uses that (partial) index for a long IN (…).
DIGESTS = """ AND NOT ("id_number_hash" = '')"""
NO_DIGEST = """ AND "id_number_hash" = ''"""
CURRENT = """ AND "ended_on" IS NULL"""  # key-group tags that have not ended
UNPLACED = """ AND "household_id" IS NULL"""  # residents waiting for a household (待落户)


def home(row, household_id):
    """Where a person without an ID number is looked for by name: their household, or the
    people of their grid without one."""
    return household_id if row.key else ("grid", row.grid.path)


def check(*, actor, area, reading):
    """The plan of an import of `reading`'s rows into `area` by `actor`."""
    return Checker(actor, area, reading).run()


class Checker:
    def __init__(self, actor, area, reading):
        self.actor, self.area, self.reading = actor, area, reading
        self.headers = {key: header for key, (_index, header) in reading.headers.items()}
        self.problems = list(reading.problems)
        self.bad = {p["row"] for p in self.problems}
        self.plan = Plan()
        self._may = {}

    def fault(self, row, key, reason):
        self.problems.append(problem(row.number, self.headers.get(key, ""), reason))
        self.bad.add(row.number)

    def good(self):
        return [row for row in self.reading.rows if row.number not in self.bad]

    def run(self):
        rows = self.reading.rows
        folded = {}  # the few building names and house numbers a file repeats
        for row in rows:
            if not row.building:
                row.key = None
                continue
            for text in (row.building, row.house):
                if text not in folded:
                    folded[text] = fold(text)
            row.key = (row.grid.pk, folded[row.building], folded[row.house])
        self.twice_in_file(rows)
        self.find_places(self.good())
        registered = self.registered(self.good())
        self.find_people(self.good(), registered)
        self.same_person_twice(self.good())
        self.classify(self.good())
        self.problems.sort(key=lambda p: p["row"] or 0)
        plan = self.plan
        plan.problems = self.problems
        kinds = Counter(kind for row in plan.new for kind in row.kinds)
        kinds.update(kind for change in plan.changes for kind in change.kinds)
        plan.counts = {
            "new": len(plan.new),
            "updated": len(plan.changes),
            "unchanged": len(self.good()) - len(plan.new) - len(plan.changes),
            "invalid": len(self.bad),
            "households": len(plan.households),
            "buildings": len(plan.buildings),
            "unplaced": sum(1 for row in plan.new if row.key is None),
            "key_groups": kinds.total(),
            # the tags to add by key group, in the order of their choices
            "kinds": {kind: kinds[kind] for kind in KeyGroup.Kind.values if kinds[kind]},
        }
        return plan

    def twice_in_file(self, rows):
        """The same ID number on two rows, or the same name twice in a household without one:
        both rows are refused, each naming the other."""
        by_id, by_person = defaultdict(list), defaultdict(list)
        for row in rows:
            if row.id_number_hash:
                by_id[row.id_number_hash].append(row)
            else:
                by_person[(row.key or row.grid.pk, fold(row.name))].append(row)
        for groups, key, message in (
            (by_id, "id_number", _("The same ID number is also in row %(rows)s.")),
            (by_person, "name", _("The same person (name and household) is also in row %(rows)s.")),
        ):
            for group in groups.values():
                if len(group) > 1:
                    for row in group:
                        self.fault(row, key, message % {"rows": others(row, group)})

    def find_places(self, rows):
        """The registered building and household of each row; those to create."""
        plan = self.plan
        # The importer holds the import's permission on the whole area (the job service
        # checked it), so through their scope this is every building and household there.
        for pk, area_id, name in (
            Building.objects.visible_to(self.actor, IMPORT)
            .within(self.area)
            .values_list("pk", "area_id", "name")
        ):
            plan.building_ids[(area_id, fold(name))] = pk
        by_building = {}
        for pk, building_id, number in (
            Household.objects.visible_to(self.actor, IMPORT)
            .within(self.area)
            .values_list("pk", "building_id", "number")
        ):
            by_building[(building_id, fold(number))] = pk
        for row in rows:
            key = row.key
            if key is None:
                continue
            building_key = key[:2]
            building_id = plan.building_ids.get(building_key)
            household_id = by_building.get((building_id, key[2])) if building_id else None
            if household_id:
                plan.household_ids[key] = household_id
            elif building_id is None and not self.may("areas.add_building", key[0], row.grid):
                self.fault(
                    row,
                    "building",
                    _("You may not add buildings in %(grid)s.") % {"grid": row.grid},
                )

    def registered(self, rows):
        """{ID number digest: registered values} of the rows' ID numbers, anywhere."""
        found = {}
        digests = [row.id_number_hash for row in rows if row.id_number_hash]
        for values in select(Resident, REGISTERED, "id_number_hash", digests, DIGESTS):
            found[values["id_number_hash"]] = values
        return found

    def find_people(self, rows, registered):
        """Each row's registered person, if any: by ID number, else by name in the household,
        else (a row with an address, which places them) among those of the grid waiting for
        a household."""
        household_ids = self.plan.household_ids
        unknown = [row for row in rows if row.id_number_hash not in registered]
        wanted = {household_ids[row.key] for row in unknown if row.key in household_ids}
        by_name = defaultdict(list)
        for values in select(Resident, REGISTERED, "household_id", wanted):
            by_name[(values["household_id"], fold(values["name"]))].append(values)
        grids = {row.grid.path for row in unknown}
        for values in select(Resident, REGISTERED, "area_path", grids, UNPLACED):
            by_name[(("grid", values["area_path"]), fold(values["name"]))].append(values)
        self.targets = {}
        for row in rows:
            target = registered.get(row.id_number_hash) if row.id_number_hash else None
            if target is None:
                name = fold(row.name)
                candidates = by_name.get((home(row, household_ids.get(row.key)), name), [])
                if not candidates and row.key is not None:
                    candidates = by_name.get((("grid", row.grid.path), name), [])
                if row.id_number_hash:  # a person registered without their number
                    candidates = [c for c in candidates if not c["id_number_hash"]]
                if len(candidates) > 1:
                    self.fault(
                        row,
                        "name",
                        _(
                            "Several people of this name live in this household; give their ID numbers."
                        ),
                    )
                    continue
                target = candidates[0] if candidates else None
            if target is not None:
                if not self.may_change(target["area_path"]):
                    self.fault(
                        row,
                        "id_number",
                        _("A resident with this ID number is registered in another area."),
                    )
                    continue
                self.targets[row.number] = target

    def same_person_twice(self, rows):
        by_person = defaultdict(list)
        for row in rows:
            target = self.targets.get(row.number)
            if target:
                by_person[target["pk"]].append(row)
        for group in by_person.values():
            if len(group) > 1:
                for row in group:
                    self.fault(
                        row,
                        "name",
                        _("The same person is also in row %(rows)s.")
                        % {"rows": others(row, group)},
                    )

    def classify(self, rows):
        plan = self.plan
        targets = {n: t for n, t in self.targets.items() if n not in self.bad}
        tagged = defaultdict(set)
        pks = [target["pk"] for target in targets.values()]
        for tag in select(KeyGroup, ("resident_id", "kind"), "resident_id", pks, CURRENT):
            tagged[tag["resident_id"]].add(tag["kind"])
        for row in rows:
            key = row.key
            if key is not None and key not in plan.household_ids:
                building_key = key[:2]
                if building_key not in plan.building_ids:
                    plan.buildings.setdefault(building_key, (row.grid, row.building))
                plan.households.setdefault(key, (building_key, row.house, row.grid))
            target = targets.get(row.number)
            if target is None:
                plan.new.append(row)
                continue
            fields = changed_fields(row, target, plan.household_ids.get(key))
            kinds = row.kinds - tagged[target["pk"]]
            if fields or kinds:
                plan.changes.append(Change(row, target, fields, kinds))

    def may(self, perm, place_id, place):
        if (perm, place_id) not in self._may:
            self._may[(perm, place_id)] = self.actor.has_perm(perm, place)
        return self._may[(perm, place_id)]

    def may_change(self, path):
        """Whether the importer sees and may change a resident recorded under `path`."""
        if path not in self._may:
            self._may[path] = holds(self.actor, "people.view_resident", path) and holds(
                self.actor, "people.change_resident", path
            )
        return self._may[path]


def others(row, group):
    numbers = [str(other.number) for other in group if other is not row]
    return "、".join(numbers[:5]) + ("…" if len(numbers) > 5 else "")


def changed_fields(row, registered, household_id):
    """The fields a row changes on a registered person; an empty cell changes nothing."""
    fields = set()
    if row.name != registered["name"]:
        fields |= {"name", "name_initials"}
    if row.id_number_hash and row.id_number_hash != registered["id_number_hash"]:
        fields |= {"id_number", "id_number_hash", "id_number_tail"}
    if row.phone_hash and row.phone_hash != registered["phone_hash"]:
        fields |= {"phone", "phone_hash", "phone_tail"}
    # Sex and birth date follow the ID number; the cells count only for people without one.
    if row.id_number or not registered["id_number_hash"]:
        if row.sex and row.sex != registered["sex"]:
            fields.add("sex")
        if row.birth_date and row.birth_date != registered["birth_date"]:
            fields.add("birth_date")
    if row.relation and row.relation != registered["relation_to_head"]:
        fields.add("relation_to_head")
    if row.residence and row.residence != registered["residence"]:
        fields.add("residence")
    # A household to be created (no id yet) is a move too, also for one waiting for a household.
    if row.key is not None and (household_id is None or household_id != registered["household_id"]):
        fields |= {"household", "area", "area_path", "surveyed_address"}
    return fields
