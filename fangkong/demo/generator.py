"""Writes the demo county's areas, workers and people in bulk."""

import datetime
import math

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberError

from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker
from fangkong.demo.data import (
    COMPOUNDS,
    FEMALE_CHARS,
    HOUSEHOLD_SIZES,
    KNOWN_CODES,
    LOCAL_PLACES,
    MALE_CHARS,
    MOBILE_PREFIXES,
    NATURAL_VILLAGES,
    OUTSIDE_PLACES,
    PASSWORD,
    PLACE_CHARS,
    ROADS,
    STREETS,
    SURNAMES,
    TOP,
)
from fangkong.demo.monitoring import quiet_community
from fangkong.demo.registry import AS_OF, Registry
from fangkong.demo.writer import Writer
from fangkong.people.models import (
    DismissedSuggestion,
    Household,
    HouseholdAssignment,
    KeyGroup,
    Resident,
    Sex,
)
from fangkong.people.services import name_initials
from fangkong.pii import lookup_digest

FIRST_YEAR = 1930
COMMUNITIES_PER_STREET = 3  # at least


R = Resident.Relation
LIVING, AWAY, HERE = (
    Resident.Residence.REGISTERED_LIVING,
    Resident.Residence.REGISTERED_AWAY,
    Resident.Residence.LIVING_HERE,
)
A = Worker.Affiliation


class Generator:
    def __init__(self, rng):
        self.rng = rng
        self.used_ids = set()
        self.places = {}
        self.top = {}
        self.registry = Registry(rng)
        self.writer = Writer()
        self.insert = self.writer.insert
        self.initials = {}  # per surname and per given name: 20 µs of pypinyin each

    # --- the shape -------------------------------------------------------------------------
    def plan(self, residents):
        """Household sizes summing to `residents`, and how many of each level to make."""
        r = self.rng
        sizes, total = [], 0
        choices, weights = list(HOUSEHOLD_SIZES), list(HOUSEHOLD_SIZES.values())
        while total < residents:
            size = min(r.choices(choices, weights)[0], residents - total)
            sizes.append(size)
            total += size
        households = len(sizes)
        buildings = max(2, round(households / 26))
        grids = max(2, round(buildings / 6))
        communities = max(1, min(grids // 2, max(3, round(grids / 4.5))))
        streets = min(len(STREETS), max(min(3, communities), math.ceil(communities / 6)))
        # Every street has several communities, and the first one's two grids.
        communities = max(communities, COMMUNITIES_PER_STREET * streets)
        grids = max(grids, communities + 1)
        buildings = max(buildings, grids)
        return sizes, (streets, communities, grids, buildings, households)

    def split(self, total, parts, low, high, minimum=0):
        """`total` as `parts` integers ≥ minimum, in proportion to random weights low..high."""
        weights = [self.rng.randint(low, high) for _ in range(parts)]
        if total < minimum * parts:
            minimum = 0
        rest = total - minimum * parts
        raw = [rest * w / sum(weights) for w in weights]
        counts = [int(x) for x in raw]
        by_fraction = sorted(range(parts), key=lambda i: counts[i] - raw[i])
        for i in by_fraction[: rest - sum(counts)]:
            counts[i] += 1
        return [c + minimum for c in counts]

    # --- areas -----------------------------------------------------------------------------
    def areas(self, counts):
        n_streets, n_communities, n_grids, n_buildings, n_households = counts
        parent = None
        for code, name, level in TOP:
            parent = self.insert(Area, [_area(code, name, level, parent)])[0]
            self.top[level] = parent
        county = parent
        chosen = [*STREETS[: n_streets - 1], STREETS[-1]] if n_streets > 1 else STREETS[:1]
        streets = self.insert(Area, [_area(s[0], s[1], Level.TOWNSHIP, county) for s in chosen])
        per_street = self.split(n_communities, n_streets, 3, 8, minimum=COMMUNITIES_PER_STREET)
        used_names = {
            n + ("村" if v else "社区") for *_s, v, names in STREETS for n in names.split()
        }
        units = []
        for street, (_c, _n, villages, names), count in zip(
            streets, chosen, per_street, strict=True
        ):
            units += self.community_names(street, villages, names.split(), count, used_names)
        units.sort(key=lambda unit: unit[0])
        communities = self.insert(Area, [_area(c, n, Level.COMMUNITY, p) for c, n, p, _v in units])
        villages = {code for code, _n, _p, village in units if village}
        per_community = self.split(n_grids, n_communities, 3, 6, minimum=1)
        if per_community[0] < 2 <= n_grids:  # the demo needs two neighbouring grids
            per_community[per_community.index(max(per_community))] -= 1
            per_community[0] += 1
        grids = self.insert(
            Area,
            [
                _area(f"{c.code}{i:03d}", f"第{_chinese_number(i)}网格", Level.GRID, c)
                for c, count in zip(communities, per_community, strict=True)
                for i in range(1, count + 1)
            ],
        )
        per_grid = self.split(n_buildings, n_grids, 4, 8, minimum=1)
        per_building = iter(self.split(n_households, n_buildings, 12, 40, minimum=1))
        grid_iter = iter(zip(grids, per_grid, strict=True))
        result = []
        for community, count in zip(communities, per_community, strict=True):
            community.is_village = community.code in villages
            plan = []
            for grid, buildings in (next(grid_iter) for _ in range(count)):
                plan.append((grid, [next(per_building) for _ in range(buildings)]))
            result.append((community, plan))
        return result

    def community_names(self, street, villages, names, count, used):
        suffix, first = ("村", 201) if villages else ("社区", 1)
        taken = {KNOWN_CODES[n + suffix] for n in names if n + suffix in KNOWN_CODES}
        units, number = [], first
        while len(units) < count:
            if names:
                name = names.pop(0) + suffix
            else:
                name = self.rng.choice(PLACE_CHARS) + self.rng.choice(PLACE_CHARS) + suffix
                if name in used or name[0] == name[1] or {*name[:2]} <= {*"东西南北"}:
                    continue
            code = KNOWN_CODES.get(name)
            if code is None:
                while f"{street.code[:9]}{number:03d}" in taken:
                    number += 1
                code = f"{street.code[:9]}{number:03d}"
                number += 1
            if int(code[9:]) > 999:
                raise ValueError("Too many communities for one street; use fewer residents.")
            taken.add(code)
            used.add(name)
            units.append((code, name, street, villages))
        return units

    # --- workers, roles, logins ------------------------------------------------------------
    def workers(self, communities):
        province, county = self.top[Level.PROVINCE], self.top[Level.COUNTY]
        streets = sorted({c.parent_id for c, _g in communities})
        streets = list(Area.objects.filter(id__in=streets).order_by("code"))
        first_community, first_grids = communities[0]
        first_grid, second_grid = first_grids[0][0], first_grids[1][0]
        plan = [  # (username or "", role kind, role area, worker area, affiliation)
            ("sysadmin", RoleKind.SYSTEM_ADMIN, province, province, A.DISPATCHED),
            ("county", RoleKind.SUPERVISOR, county, county, A.DISPATCHED),
        ]
        plan += [("", RoleKind.SUPERVISOR, s, s, A.DISPATCHED) for s in streets]
        for community, grids in communities:
            plan.append(("", RoleKind.COMMUNITY_WORKER, community, community, A.COMMUNITY))
            plan.append(("", RoleKind.MEDICAL_WORKER, community, community, A.MEDICAL_WORKER))
            plan += [("", RoleKind.GRID_WORKER, g, community, A.COMMUNITY) for g, _b in grids]
        plan += [
            ("building_head", RoleKind.BUILDING_HEAD, first_grid, first_community, A.PROPERTY),
            ("group_leader", RoleKind.GROUP_LEADER, first_grid, first_community, A.COMMUNITY),
            ("checkpoint", RoleKind.CHECKPOINT_STAFF, first_community, first_community, A.POLICE),
            ("volunteer", RoleKind.VOLUNTEER, first_grid, first_community, A.VOLUNTEER),
        ]
        firsts = {  # the generated workers who get a login
            (RoleKind.SUPERVISOR, streets[0].id): "township",
            (RoleKind.COMMUNITY_WORKER, first_community.id): "community",
            (RoleKind.COMMUNITY_WORKER, getattr(quiet_community(), "id", None)): "community2",
            (RoleKind.MEDICAL_WORKER, first_community.id): "medical",
            (RoleKind.GRID_WORKER, first_grid.id): "grid",
            (RoleKind.GRID_WORKER, second_grid.id): "grid2",
        }
        plan = [(u or firsts.get((k, ra.id), ""), k, ra, wa, af) for u, k, ra, wa, af in plan]
        hashed = make_password(PASSWORD)  # once: argon2 is slow on purpose
        user_model = get_user_model()
        workers, users = [], {}
        for username, _kind, _role_area, area, affiliation in plan:
            name, phone = self.person_name(self.rng.random() < 0.6), self.mobile()
            if username:
                users[username] = user_model.objects.create(
                    username=username,
                    password=hashed,
                    first_name=name,
                    is_staff=username == "sysadmin",
                    is_superuser=username == "sysadmin",
                )
            workers.append(
                Worker(
                    user=users.get(username),
                    area_id=area.id,
                    area_path=area.path,
                    name=name,
                    phone=phone,
                    phone_hash=lookup_digest(phone),
                    affiliation=affiliation,
                )
            )
        self.insert(Worker, workers)
        roles = [
            Role(worker=w, kind=kind, area_id=area.id, area_path=area.path)
            for w, (_u, kind, area, _wa, _af) in zip(workers, plan, strict=True)
        ]
        self.insert(Role, roles)
        grid_roles = [
            (w, r) for w, r in zip(workers, roles, strict=True) if r.kind == RoleKind.GRID_WORKER
        ]
        self.registry.recorders = {r.area_id: w.user_id for w, r in grid_roles if w.user_id}
        return {r.area_id: w.pk for w, r in grid_roles}

    # --- buildings, households, residents --------------------------------------------------
    def people(self, community, grids, grid_workers, sizes):
        r = self.rng
        buildings, plans = [], []
        for grid, households in grids:
            names = iter(r.sample(NATURAL_VILLAGES, len(NATURAL_VILLAGES)))
            compounds = iter(r.sample(COMPOUNDS, len(COMPOUNDS)))
            for number, count in enumerate(households, 1):
                if community.is_village:
                    kind, name = Building.Kind.NATURAL_VILLAGE, next(names, f"第{number}村民小组")
                    address = community.name
                elif r.random() < 0.25:
                    kind, name = Building.Kind.COMPOUND, next(compounds, f"{grid.name}{number}号院")
                    address = f"{r.choice(ROADS)}{r.randint(1, 300)}号"
                else:
                    kind, name = Building.Kind.BUILDING, f"{number}号楼"
                    address = f"{r.choice(ROADS)}{r.randint(1, 300)}号"
                buildings.append(
                    Building(
                        area_id=grid.id,
                        area_path=grid.path,
                        name=name,
                        kind=kind,
                        address=address,
                        responsible_worker_id=grid_workers[grid.id],
                    )
                )
                plans.append(count)
        self.insert(Building, buildings)
        households = []
        for building, count in zip(buildings, plans, strict=True):
            per_floor = r.randint(2, 4)
            for i in range(count):
                if building.kind == Building.Kind.NATURAL_VILLAGE:
                    number = f"{i + 1}号"
                elif building.kind == Building.Kind.COMPOUND:
                    number = f"{i // 12 + 1}幢{(i % 12) // 2 + 1}0{i % 2 + 1}"
                else:
                    number = f"{i // per_floor + 1}{i % per_floor + 1:02d}"
                households.append(
                    Household(
                        area_id=building.area_id,
                        area_path=building.area_path,
                        building=building,
                        number=number,
                        address=f"{building.address}{building.name}{number}",
                    )
                )
        self.insert(Household, households)
        residents, families = [], []
        for household in households:
            members = self.household_members(household, next(sizes, 0), community.is_village)
            residents += members
            families.append(members)
        self.insert(Resident, residents)
        tags, dismissed = [], []
        for members in families:
            more_tags, more_dismissed = self.registry.household_tags(members)
            tags += more_tags
            dismissed += more_dismissed
        self.insert(KeyGroup, tags)
        self.insert(DismissedSuggestion, dismissed)
        self.insert(HouseholdAssignment, self.registry.assignments(households, grid_workers))
        return len(residents)

    def household_members(self, household, size, village=False):
        r = self.rng
        if not size:
            return []
        tenants = r.random() < 0.08  # a household of tenants registered elsewhere
        head_sex = Sex.MALE if r.random() < 0.72 else Sex.FEMALE
        if tenants:
            head_year = int(r.triangular(1965, 2002, 1990))
        elif size == 1:
            head_year = int(r.triangular(1930, 2002, 1946))
        else:
            head_year = int(r.triangular(1940, 1998, 1972))
        people = [(R.HEAD, head_sex, head_year)]
        other = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
        if size > 1 and r.random() < 0.88:
            people.append((R.SPOUSE, other, head_year + r.randint(-3, 4)))
        if len(people) < size and AS_OF.year - head_year < 50 and r.random() < 0.35:
            people.append((R.PARENT, r.choice(list(Sex)), head_year - r.randint(24, 34)))
        adult_children = []
        while len(people) < size:
            if adult_children and r.random() < 0.6:
                parent_year = r.choice(adult_children)
                if parent_year + 23 <= AS_OF.year:
                    people.append(
                        (R.GRANDCHILD, r.choice(list(Sex)), parent_year + r.randint(23, 33))
                    )
                    continue
            year = head_year + r.randint(23, 38)
            if year <= AS_OF.year:
                people.append((R.CHILD, r.choice(list(Sex)), year))
                if AS_OF.year - year >= 24:
                    adult_children.append(year)
            else:
                people.append((R.SIBLING, r.choice(list(Sex)), head_year + r.randint(-6, 6)))
        if not tenants and size >= 3 and r.random() < 0.03:
            people[-1] = (R.TENANT, r.choice(list(Sex)), r.randint(1985, 2004))
        # Parents working in the city, children with their grandparents (农村留守).
        ages = [AS_OF.year - year for _relation, _sex, year in people]
        left_behind = (
            not tenants
            and min(ages) < 16
            and max(ages) >= 60
            and r.random() < (0.5 if village else 0.08)
        )
        family_name = r.choice(SURNAMES)  # the father's line: the male head or the husband
        paternal = {R.CHILD, R.GRANDCHILD} | (
            {R.SIBLING, R.PARENT} if head_sex == Sex.MALE else set()
        )
        result, names = [], set()
        for relation, sex, year in people:
            year = min(max(year, FIRST_YEAR), AS_OF.year)
            birth = datetime.date(year, 1, 1) + datetime.timedelta(r.randrange(365))
            birth = min(birth, AS_OF)
            outsider = tenants or relation == R.TENANT
            if (relation in (R.HEAD, R.SPOUSE) and sex == Sex.MALE) or (
                relation in paternal and r.random() < 0.9
            ):
                surname = family_name
            else:
                surname = r.choice(SURNAMES)
            given = self.given_name(sex == Sex.MALE)
            while surname + given in names:
                given = self.given_name(sex == Sex.MALE)
            name = surname + given
            names.add(name)
            id_number = self.id_number(birth, sex, outsider)
            age = AS_OF.year - year
            phone = self.mobile() if age >= 14 and r.random() < (0.93 if age < 75 else 0.6) else ""
            if outsider:
                residence = HERE
            elif left_behind and 18 <= age < 60:
                residence = AWAY
            else:
                residence = AWAY if 18 <= age <= 45 and r.random() < 0.1 else LIVING
            status, since, note = self.registry.status(age, birth)
            result.append(
                Resident(
                    area_id=household.area_id,
                    area_path=household.area_path,
                    household=household,
                    name=name,
                    name_initials=self.name_initials(surname) + self.name_initials(given),
                    sex=sex,
                    birth_date=birth,
                    id_number=id_number,
                    id_number_hash=lookup_digest(id_number),
                    phone=phone,
                    phone_hash=lookup_digest(phone) if phone else "",
                    id_number_tail=id_number[-4:],
                    phone_tail=phone[-4:],
                    relation_to_head=relation,
                    residence=residence,
                    status=status,
                    status_changed_on=since,
                    status_note=note,
                )
            )
        return result

    # --- names and numbers -----------------------------------------------------------------
    def name_initials(self, part):
        """name_initials of a surname or a given name; for the names made of these lists the
        initials of the whole name are those of its parts, one after the other."""
        if part not in self.initials:
            self.initials[part] = name_initials(part)
        return self.initials[part]

    def given_name(self, male):
        chars = MALE_CHARS if male else FEMALE_CHARS
        return "".join(self.rng.choices(chars, k=1 if self.rng.random() < 0.2 else 2))

    def person_name(self, male):
        return self.rng.choice(SURNAMES) + self.given_name(male)

    def mobile(self):
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    def id_number(self, birth, sex, outsider):
        """A valid, unused ID number: birth place valid in the birth year, order code odd for men."""
        key = (birth.year, outsider)
        if key not in self.places:
            table = OUTSIDE_PLACES if outsider else LOCAL_PLACES
            valid = {c: w for c, w in table.items() if _place_valid(c, birth.year)}
            self.places[key] = (list(valid) or ["350000"], list(valid.values()) or [1])
        codes, weights = self.places[key]
        place = self.rng.choices(codes, weights)[0]
        body = f"{place}{birth.year:04d}{birth.month:02d}{birth.day:02d}"
        male = sex == Sex.MALE
        while True:
            order = self.rng.randrange(1, 999)
            if order % 2 != male:
                order += 1
            number = f"{body}{order:03d}"
            if int(number) not in self.used_ids:
                self.used_ids.add(int(number))
                return number + ric.calc_check_digit(number + "0")


def _place_valid(code, year):
    number = f"{code}{year:04d}0101001"
    try:
        ric.get_birth_place(number + ric.calc_check_digit(number + "0"))
    except NumberError:
        return False
    return True


def _area(code, name, level, parent):
    path = (parent.path if parent else "/") + code + "/"
    return Area(code=code, name=name, level=level, parent=parent, path=path)


def _chinese_number(n):
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens = "" if n < 20 else digits[n // 10]
        return f"{tens}十{digits[n % 10] if n % 10 else ''}"
    return str(n)
