"""Import of residents from the survey spreadsheet (摸排表) that people already keep.

`read_file` turns every row of a file into a clean `Row`, or into problems: the row number
as Excel shows it, the column's header as written in the file, the reason in the user's
language. `check` compares the clean rows with the registry and returns a `Plan`: the
preview's counts and problems, and what a commit writes. The job services
(`import_jobs.py`) run both for the preview and again inside the commit's transaction.

Rows become residents through the same rules as the form: `apply_identity` cleans the ID
number and phone and derives sex and birth date; names are trimmed and get their pinyin
initials. An empty cell never erases what the registry holds.
"""

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypinyin.constants import PHRASES_DICT

from fangkong import dates
from fangkong.areas.models import Area, Level
from fangkong.people.import_workers import clean_rows
from fangkong.people.models import KeyGroup, Resident, Sex
from fangkong.people.services import apply_identity, name_initials
from fangkong.pii import clean_id_number, clean_phone
from fangkong.spreadsheets import (
    Field,
    cell_date,
    cell_line,
    cell_text,
    cell_words,
    fold,
    not_a_person,
    problem,
    sheet_rows,
)

PROGRESS_EVERY = 2000  # rows between two progress reports


FIELDS = [
    Field("grid", gettext_lazy("Grid"), ("网格", "所属网格", "网格名称", "网格编码", "grid"), 16),
    Field(
        "building",
        gettext_lazy("Compound/building/natural village"),
        (
            *("小区/楼栋/自然村", "小区", "楼栋", "自然村", "小区楼栋", "小区/楼栋", "楼栋/小区"),
            *("楼栋名称", "小区名称", "小区(楼栋)", "building"),
        ),
        20,
    ),
    Field(
        "number",
        gettext_lazy("House number"),
        ("门牌号", "户号", "房号", "门牌", "门牌号码", "房间号", "house number"),
        12,
        text=True,
    ),
    Field(
        "name",
        gettext_lazy("Full name"),
        ("姓名", "名字", "居民姓名", "人员姓名", "被调查人", "name"),
        12,
    ),
    Field(
        "id_number",
        gettext_lazy("ID number"),
        (
            *("身份证号", "证件号码", "公民身份号码", "身份证", "身份证号码", "身份证件号码"),
            *("证件号", "id number"),
        ),
        22,
        text=True,
    ),
    Field(
        "phone",
        gettext_lazy("Phone"),
        (
            *("联系电话", "手机号", "电话", "手机", "手机号码", "联系方式", "电话号码"),
            *("本人电话", "本人联系电话", "phone"),
        ),
        15,
        text=True,
    ),
    Field("sex", gettext_lazy("Sex"), ("性别", "sex"), 6),
    Field(
        "birth_date", gettext_lazy("Birth date"), ("出生日期", "出生年月日", "生日", "birth date")
    ),
    Field(
        "relation",
        gettext_lazy("Relation to head"),
        ("与户主关系", "与户主的关系", "关系", "relation to head"),
    ),
    Field(
        "residence",
        gettext_lazy("Residence status"),
        ("居住状态", "居住情况", "人户状态", "residence status"),
        18,
    ),
    Field(
        "key_groups",
        gettext_lazy("Key groups"),
        ("重点人群", "重点人群类别", "人群类别", "重点人群类型", "key groups"),
        24,
    ),
    # Not in the template, but in the sheets people keep: where a person lives as one line,
    # their category or type (where the key group is often written), remarks, the survey's date.
    Field(
        "address",
        gettext_lazy("Address"),
        ("住址", "家庭住址", "现住址", "居住地址", "现居住地址", "详细地址", "家庭地址", "地址"),
    ),
    Field(
        "category",
        gettext_lazy("Person category"),
        (
            *("人员类别", "人员类型", "类别", "类型", "人群分类", "身份类别", "人群类型"),
            *("人员分类", "人员属性", "重点人员类别", "特殊人群", "category"),
        ),
    ),
    Field("remarks", gettext_lazy("Remarks"), ("备注", "备注说明", "情况说明", "说明", "remarks")),
    Field(
        "found_on",
        gettext_lazy("Survey date"),
        ("摸排日期", "调查日期", "走访日期", "排查日期", "登记日期", "摸排时间", "survey date"),
    ),
]
FIELD = {f.key: f for f in FIELDS}
TEMPLATE_KEYS = ("grid", "building", "number", "name", "id_number", "phone", "sex")
TEMPLATE_KEYS += ("birth_date", "relation", "residence", "key_groups")
# Headers of columns that hold nothing to import (the row's number in the sheet).
IGNORED_HEADERS = frozenset({"序号", "编号", "序", "no", "no."})
REQUIRED = ("name",)
# The columns read as one line of text (the others: ID number, phone, sex, dates).
TEXT_FIELDS = ("grid", "building", "number", "name", "relation", "residence", "key_groups")
TEXT_FIELDS += ("address", "category", "remarks")
# the model fields' max_length (the address: `Resident.surveyed_address`)
LIMITS = {"name": 50, "building": 100, "number": 50, "address": 200}

R = Resident.Relation
L = Resident.Residence
K = KeyGroup.Kind
# What people write besides the labels (户主 …; GB/T 4761 家庭关系): each is looked up with
# full-width folded, spaces removed and in lower case.
CHOICE_WORDS = {
    "sex": {
        Sex.MALE: "男 男性 M 1",
        Sex.FEMALE: "女 女性 F 2",
    },
    "relation": {
        R.HEAD: "户主 本人",
        R.SPOUSE: "配偶 妻 妻子 夫 丈夫 老婆 老公",
        R.CHILD: "子女 子 女 儿子 女儿 长子 次子 长女 次女 独子 独女 养子 养女 继子 继女",
        R.PARENT: "父母 父亲 母亲 父 母 养父 养母 继父 继母",
        R.GRANDCHILD: "孙子女 孙子 孙女 外孙 外孙子 外孙女",
        R.GRANDPARENT: "祖父母 祖父 祖母 外祖父 外祖母 爷爷 奶奶 外公 外婆",
        R.SIBLING: "兄弟姐妹 兄 弟 姐 妹 哥哥 弟弟 姐姐 妹妹 兄弟 姐妹",
        R.TENANT: "租户 租客 租住人员",
        R.OTHER: "其他 其它 儿媳 女婿 亲属",
    },
    "residence": {
        L.REGISTERED_LIVING: "户籍在本地居住 户在人在",
        L.REGISTERED_AWAY: "户籍人口外出 户在人不在 外出",
        L.LIVING_HERE: "外来常住 人在户不在 外来人口 流动人口",
    },
    "key_groups": {
        K.LONE_ELDERLY: "独居老人 独居",
        K.SCATTERED_ORPHAN: "散居孤儿 孤儿",
        K.UNSUPPORTED_CHILD: "事实无人抚养儿童 事实无人抚养",
        K.LEFT_BEHIND_CHILD: "农村留守儿童 留守儿童",
        K.LEFT_BEHIND_ELDERLY: "留守老人 农村留守老人",
        K.CHILD_IN_DIFFICULTY: "困境儿童",
        K.DISABLED: "残疾人 残疾 残障",
        K.PREGNANT: "孕产妇 孕妇 产妇",
        K.SUBSISTENCE_ALLOWANCE: "低保对象 低保 低保户",
        K.EXTREME_POVERTY: "特困人员 特困 特困供养",
        K.LOW_INCOME: "低收入家庭 低收入",
        K.SPECIAL_HARDSHIP: "特殊困难群体 特殊困难",
        K.TENANT: "出租房屋租住人员 租住人员 租住 租户 租客",
        K.DORMITORY: "集体宿舍 集体宿舍人员",
        K.MIGRANT_STAYING: "就地过年农民工 就地过年",
    },
}
CHOICES = {"sex": Sex, "relation": R, "residence": L, "key_groups": K}
DATE_WINDOWS = {"birth_date": dates.BIRTH_DATE, "found_on": dates.LIFE_EVENT}
NO_KINDS = frozenset()
KIND_SEPARATORS = re.compile(r"[、，,;；/]+")


@cache
def choice_lookup(key):
    """{folded word: value} for one choice column: values, labels in every language, and
    the words of CHOICE_WORDS."""
    lookup = {}
    choices = CHOICES[key]
    for language in ("en", "zh-hans"):
        with translation.override(language):
            lookup |= {fold(str(label)): value for value, label in choices.choices}
    lookup |= {fold(value): value for value in choices.values}
    for value, words in CHOICE_WORDS[key].items():
        lookup |= {fold(word): value for word in words.split()}
    return lookup


def header_aliases():
    """{field key: headers it is known by}, the template's label in this language among them."""
    return {f.key: [*f.aliases, str(f.label)] for f in FIELDS}


# --- names ---------------------------------------------------------------------------------
HAN = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=8192)
def _char_initials(char):
    return name_initials(char)


@lru_cache(maxsize=65536)
def _whole_initials(name):
    return name_initials(name)


def initials(name):
    """`name_initials(name)`, a character at a time when that gives the same: a name of Han
    characters of which no two or more together are a phrase in pypinyin's dictionary (the
    pinyin of each character then does not depend on its neighbours) — most names."""
    if HAN.fullmatch(name) and not any(
        name[i:j] in PHRASES_DICT for i in range(len(name) - 1) for j in range(i + 2, len(name) + 1)
    ):
        return "".join(map(_char_initials, name))[:50]
    return _whole_initials(name)


# --- reading -------------------------------------------------------------------------------
class Row:
    """One row of the file, clean: what the resident gets, and where they live."""

    __slots__ = (
        "address",
        "birth_date",
        "building",
        "found_on",
        "grid",
        "house",
        "id_number",
        "id_number_hash",
        "id_number_tail",
        "key",
        "kinds",
        "name",
        "name_initials",
        "number",
        "phone",
        "phone_hash",
        "phone_tail",
        "relation",
        "residence",
        "sex",
    )

    def __init__(self, number):
        self.number = number
        # (grid pk, building, house number) folded, set by the check; None for a person
        # without an address, registered in the grid without a household (待落户).
        self.key = None
        self.address = ""  # as written, of a person whose address does not split
        self.sex = ""
        self.birth_date = None
        self.id_number = self.id_number_hash = self.phone = self.phone_hash = ""


@dataclass
class Reading:
    rows_total: int = 0
    rows: list = field(default_factory=list)  # clean rows
    problems: list = field(default_factory=list)  # {"row", "column", "reason"} of faulty rows
    file_problems: list = field(default_factory=list)  # the file cannot be imported at all
    headers: dict = field(default_factory=dict)  # field key → header as written in the file
    unknown: list = field(default_factory=list)  # headers not known (nor chosen), as written
    samples: dict = field(default_factory=dict)  # unknown header → a few of its values


def read_file(name, data, *, actor, area, columns=None, progress=None):
    """Read and clean every row of a file imported into `area` (a grid or a community) by
    `actor` (a row may name only the grids they may import into). `columns` is what the
    headers the import does not know are read as ({folded header: field key or ""}).

    `progress(rows_done, rows_total)` is called at the start and every PROGRESS_EVERY rows;
    it may raise to stop.
    """
    reading = Reading()
    try:
        count, numbered = sheet_rows(name, data)
        reading.rows_total = count
        if progress:
            progress(0, count)
        header_number, found, unknown = find_header(numbered, columns)
        reading.unknown = [header for _index, header in unknown]
        if header_number is None:
            reading.file_problems.append(
                problem(1, "", _("No header row with the columns of the survey table."))
            )
            return reading
        reading.headers = found
        missing = [key for key in required_fields(area) if key not in found]
        if missing:
            reading.file_problems += [
                problem(header_number, str(FIELD[key].label), _("This column is missing."))
                for key in missing
            ]
            return reading
        cleaner = RowCleaner(area, found, actor, unknown=unknown)
        reading.samples = cleaner.samples
        reading.rows, reading.problems = clean_rows(
            cleaner,
            numbered,
            header_number=header_number,
            count=count,
            progress=progress,
            every=PROGRESS_EVERY,
        )
    except ValidationError as error:
        reading.file_problems.append(problem(None, "", " ".join(error.messages)))
    return reading


def import_grids(user, area):
    """The grids of a community that `user` may import residents into (a file names them)."""
    return Area.objects.visible_to(user, "people.add_importjob").filter(
        parent=area, level=Level.GRID
    )


def required_fields(area):
    return ("grid", *REQUIRED) if area.level == Level.COMMUNITY else REQUIRED


def find_header(numbered, columns=None, look=10):
    """The first row of the first `look` naming the name column and holding another header
    (a title may come above it): (its number, {field key: (index, header as written)}, [headers not
    known: (index, as written)]). `columns` reads headers the import does not know as a
    field ("": ignored), as the uploader chose."""
    aliases = {
        fold(alias): f.key for f in FIELDS for alias in header_aliases()[f.key] if fold(alias)
    }
    chosen = columns or {}
    for number, cells in numbered:
        found, others = {}, []
        for index, cell in enumerate(cells):
            header = fold(cell_text(cell))
            key = aliases.get(header)
            if key is None and header and header not in IGNORED_HEADERS:
                others.append((index, cell_words(cell)))
                key = chosen.get(header)
            if key and key not in found:
                found[key] = (index, cell_words(cell))
        if "name" in found and len(found) + len(others) >= 2:
            return number, found, others
        if number >= look:
            break
    return None, {}, []


# 幸福小区3栋2单元301, 8号楼101室; 新村12号, 王庄村3组15号 (the building is what comes before
# the house's number).
ADDRESS_FORMS = (
    re.compile(r"(.+?(?:栋|幢|号楼|座))[-—_ ]*([0-9A-Za-z].*)"),
    re.compile(
        r"(.+?(?:村|组|社|屯|庄|寨|小区|苑|园|公寓|大院|巷|路|街|里|弄|区))"
        r"[-—_ ]*([0-9]+(?:[-—之][0-9]+)*号?(?:[0-9]+室?)?)"
    ),
)


def split_address(text):
    """(building, house number) of an address written as one line, or None."""
    for form in ADDRESS_FORMS:
        match = form.fullmatch(text)
        if match and len(match[1]) <= LIMITS["building"] and len(match[2]) <= LIMITS["number"]:
            return match[1], match[2]
    return None


def clean_identity(row, values, fault):
    """ID number and phone cells through `apply_identity`, as the form does; every fault noted.

    A number Excel stored as a float of 15 significant digits is named as such; `row` is any
    object with the resident's identity fields (a resident, or a verification list row)."""
    id_number = values.get("id_number", "")
    if isinstance(id_number, float | int) and not isinstance(id_number, bool):
        if id_number >= 1e15:
            # Excel keeps 15 significant digits of a number: the rest became zeros.
            try:
                clean_id_number(f"{id_number:.5E}")
            except ValidationError as error:
                fault("id_number", " ".join(error.messages))
            id_number = ""
        else:
            id_number = cell_text(id_number)
    phone = values.get("phone", "")
    if not isinstance(phone, str):
        phone = cell_text(phone)
    try:
        apply_identity(row, id_number=id_number, phone=phone)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            fault(key, " ".join(messages))
        if "phone" not in error.message_dict:  # the ID number's fault stopped the check
            try:
                clean_phone(phone)
            except ValidationError as phone_error:
                fault("phone", " ".join(phone_error.messages))


SAMPLED_ROWS, SAMPLES = 50, 3  # values kept of each unknown column, from the first rows
LONG_NUMBER = re.compile(r"[0-9]{4,}[0-9Xx]*")


class RowCleaner:
    """Cleans the rows of one file: the columns found, the grids rows may name."""

    def __init__(self, area, columns, actor, unknown=()):
        self.area = area
        self.columns = [(key, index) for key, (index, _header) in columns.items()]
        self.headers = {key: header for key, (_index, header) in columns.items()}
        grids = [area] if area.level == Level.GRID else import_grids(actor, area)
        self.grids = {}
        for grid in grids:
            self.grids[fold(grid.code)] = grid
            self.grids[fold(grid.name)] = grid
            self.grids[grid.name] = grid
        self.text_keys = [key for key in TEXT_FIELDS if key in columns]
        self.other_keys = [key for key in columns if key not in TEXT_FIELDS]
        # Where the rows say a person lives: a building and a house number column; else an
        # address (or a building column alone, holding whole addresses) to split; else
        # nowhere, and everybody is registered in the grid without a household (待落户).
        self.by_columns = "building" in columns and "number" in columns
        self.known = {}
        self.shared = {}
        self.today = timezone.localdate()
        # A few values of each column the import does not know, to help say what it holds.
        self.unknown = list(unknown)
        self.samples = {header: [] for _index, header in self.unknown}
        self.sampling = SAMPLED_ROWS if self.unknown else 0

    def clean(self, number, cells):
        """(Row, []) for a good row, (None, problems) for a faulty one, (None, []) if empty
        or not a person (a footer, an example)."""
        width = len(cells)
        values = {key: cells[index] if index < width else "" for key, index in self.columns}
        texts = {key: cell_line(values[key]) for key in self.text_keys}
        if not any(texts.values()) and not any(cell_line(values[k]) for k in self.other_keys):
            return None, []
        if not_a_person(texts["name"], cells):
            return None, []
        if self.sampling:
            self.sample(cells)
        problems = []

        def fault(key, reason):
            problems.append(problem(number, self.headers[key], reason))

        row = Row(number)
        row.grid = self.grid_of(texts.get("grid", ""), fault)
        building, house, row.address = self.place(texts, fault)
        if not texts["name"]:
            fault("name", _("This cell is empty."))
        elif len(texts["name"]) > LIMITS["name"]:
            fault("name", _("Longer than %(n)d characters.") % {"n": LIMITS["name"]})
        # Buildings and house numbers repeat: one string each keeps 10⁵ rows small.
        row.building = self.shared.setdefault(building, building)
        row.house = self.shared.setdefault(house, house)
        row.name = texts["name"]
        row.name_initials = initials(row.name)
        clean_identity(row, values, fault)
        if not row.id_number:
            row.sex = self.choice("sex", cell_line(values.get("sex")), fault) or ""
            row.birth_date = self.date("birth_date", values, fault)
        row.relation = self.choice("relation", texts.get("relation"), fault)
        row.residence = self.choice("residence", texts.get("residence"), fault)
        row.kinds = self.kinds(texts.get("key_groups"), fault)
        for key in ("category", "remarks"):
            if texts.get(key):
                row.kinds |= search_kinds(texts[key])
        row.found_on = self.date("found_on", values, fault) if "found_on" in values else None
        return (None, problems) if problems else (row, [])

    def sample(self, cells):
        self.sampling -= 1
        width = len(cells)
        for index, header in self.unknown:
            values = self.samples[header]
            text = cell_line(cells[index]) if index < width else ""
            if text and len(values) < SAMPLES:
                text = LONG_NUMBER.sub("…", text)[:20]  # no whole ID number or phone kept
                if text not in values:
                    values.append(text)

    def place(self, texts, fault):
        """(building, house number, address) of a row: the building and house number
        empty for a person without an address, or whose address does not split (kept as
        written, for the grid worker who places them)."""
        if self.by_columns:
            building, house = texts["building"], texts["number"]
            if building or house:
                for key, text in (("building", building), ("number", house)):
                    if not text:
                        fault(key, _("This cell is empty."))
                    elif len(text) > LIMITS[key]:
                        fault(key, _("Longer than %(n)d characters.") % {"n": LIMITS[key]})
                return building, house, ""
        line = texts.get("address") or texts.get("building", "")
        if line:
            split = split_address(line)
            return (*split, "") if split else ("", "", line[: LIMITS["address"]])
        return "", "", ""

    def grid_of(self, text, fault):
        if not text:
            if self.area.level == Level.GRID:
                return self.area
            fault("grid", _("Name the grid (its name or code)."))
            return None
        grid = self.grids.get(text) or self.grids.get(fold(text))
        if grid is None:
            fault("grid", _("%(area)s has no grid “%(grid)s”.") % {"area": self.area, "grid": text})
        return grid

    def choice(self, key, text, fault):
        if not text:
            return None
        if (key, text) not in self.known:  # a file holds a handful of different words
            self.known[(key, text)] = choice_lookup(key).get(fold(text))
        value = self.known[(key, text)]
        if value is None:
            fault(key, unknown(key, text))
        return value

    def date(self, key, values, fault):
        """A birth date or a survey date: not in the future."""
        try:
            day = cell_date(values.get(key))
        except ValidationError as error:
            fault(key, " ".join(error.messages))
            return None
        refusal = day and DATE_WINDOWS[key].refusal(day, self.today)
        if refusal:
            fault(key, refusal)
            return None
        return day

    def kinds(self, text, fault):
        if not text:
            return NO_KINDS
        if ("key_groups", text) not in self.known:
            self.known[("key_groups", text)] = parse_kinds(text)
        kinds, unknown_words = self.known[("key_groups", text)]
        for word in unknown_words:
            fault("key_groups", unknown("key_groups", word))
        return kinds


def parse_kinds(text):
    """(key groups, unknown words) of a cell: labels separated by 、，,;； or spaces; a
    word that is no label counts if it holds one (独居老人（80岁）)."""
    lookup = choice_lookup("key_groups")
    kinds, unknown_words = set(), []
    for part in KIND_SEPARATORS.split(text):
        words = [part] if lookup.get(fold(part)) or not part.strip() else part.split()
        for word in words:
            kind = lookup.get(fold(word))
            if kind:
                kinds.add(kind)
            elif found := search_kinds(word):
                kinds |= found
            else:
                unknown_words.append(word)
    return frozenset(kinds), unknown_words


@cache
def kind_words():
    """A pattern finding the key groups' words in free text, the longest first (孕产妇 before
    产妇), each with the negation that may come before it (非低保户 is no key group)."""
    words = {fold(word) for words in CHOICE_WORDS["key_groups"].values() for word in words.split()}
    with translation.override("zh-hans"):
        words |= {fold(str(label)) for label in K.labels}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(f"(非|不是|不属于|无|未|否)?({alternatives})")


@lru_cache(maxsize=4096)
def search_kinds(text):
    """The key groups a category or a remark names anywhere in it (a set)."""
    lookup = choice_lookup("key_groups")
    return frozenset(
        lookup[match[2]] for match in kind_words().finditer(fold(text)) if not match[1]
    )


def unknown(key, text):
    labels = "、".join(str(label) for label in CHOICES[key].labels)
    return _("Unknown value “%(value)s”; write one of %(labels)s.") % {
        "value": text[:20],
        "labels": labels,
    }
