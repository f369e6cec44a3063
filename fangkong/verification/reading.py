"""Reading a verification list (协查名单): name, ID number, phone, reason, and optionally the
community or village, in any order under the headers people write. Every faulty row is
reported with its number, column and reason, as in the resident import."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.people.imports import clean_identity
from fangkong.spreadsheets import (
    Field,
    cell_line,
    cell_text,
    cell_words,
    fold,
    not_a_person,
    problem,
    sheet_rows,
)

FIELDS = [
    Field("name", gettext_lazy("Full name"), ("姓名", "名字", "name"), 12),
    Field(
        "id_number",
        gettext_lazy("ID number"),
        ("身份证号", "证件号码", "公民身份号码", "身份证", "身份证号码", "id number"),
        22,
        text=True,
    ),
    Field(
        "phone",
        gettext_lazy("Phone"),
        ("联系电话", "手机号", "电话", "手机", "手机号码", "联系方式", "phone"),
        15,
        text=True,
    ),
    Field(
        "reason",
        gettext_lazy("Reason for verification"),
        ("协查原因", "原因", "事由", "推送原因", "核查原因", "情况说明", "备注", "reason"),
        40,
    ),
    Field(
        "community",
        gettext_lazy("Community or village"),
        ("社区/村", "社区", "村", "村居", "社区(村)", "所属社区", "村(社区)", "community"),
        16,
    ),
]
FIELD = {f.key: f for f in FIELDS}
LIMITS = {"name": 50, "reason": 500, "community": 100}


class Row:
    """One clean row: what `apply_identity` sets, and the rest of the row as written."""

    __slots__ = (
        "birth_date",
        "community",
        "id_number",
        "id_number_hash",
        "id_number_tail",
        "name",
        "number",
        "phone",
        "phone_hash",
        "phone_tail",
        "reason",
        "sex",
    )

    def __init__(self, number, name, reason="", community=""):
        self.number, self.name, self.reason, self.community = number, name, reason, community


@dataclass
class Reading:
    rows_total: int = 0
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    file_problems: list = field(default_factory=list)


def header_aliases():
    return {f.key: [*f.aliases, str(f.label)] for f in FIELDS}


def find_header(numbered, look=10):
    """The first of the first `look` rows naming the name column and one more:
    (its number, {field key: (index, header as written)})."""
    aliases = {fold(a): key for key, names in header_aliases().items() for a in names if fold(a)}
    for number, cells in numbered:
        columns = {}
        for index, cell in enumerate(cells):
            key = aliases.get(fold(cell_text(cell)))
            if key and key not in columns:
                columns[key] = (index, cell_words(cell))
        if "name" in columns and len(columns) >= 2:
            return number, columns
        if number >= look:
            break
    return None, {}


def read_list(name, data):
    """Read and clean every row of an uploaded list."""
    reading = Reading()
    try:
        count, numbered = sheet_rows(name, data)
        reading.rows_total = count
        header_number, columns = find_header(numbered)
        if header_number is None:
            reading.file_problems.append(
                problem(1, "", _("No header row with a name column and an ID number or phone."))
            )
            return reading
        if "id_number" not in columns and "phone" not in columns:
            reading.file_problems.append(
                problem(header_number, "", _("The list needs an ID number or a phone column."))
            )
            return reading
        headers = {key: header for key, (_index, header) in columns.items()}
        indexes = [(key, index) for key, (index, _header) in columns.items()]
        for number, cells in numbered:
            row, problems = clean_row(number, cells, indexes, headers)
            if problems:
                reading.problems += problems
            elif row is not None:
                reading.rows.append(row)
        reading.rows_total = max(count - header_number, 0)
    except ValidationError as error:
        reading.file_problems.append(problem(None, "", " ".join(error.messages)))
    return reading


# The example row of the template before it was marked 示例: 张三, no numbers, this reason.
OLD_EXAMPLE_REASONS = {"Came from a risk area on 2026-11-20", "2026年11月20日自风险地区来"}


def old_example(values, texts):
    return (
        texts["name"] == "张三"
        and texts.get("reason") in OLD_EXAMPLE_REASONS
        and not any(cell_line(values.get(k)) for k in ("id_number", "phone"))
    )


def clean_row(number, cells, indexes, headers):
    """(Row, []) for a good row, (None, problems) for a faulty one, (None, []) if empty or
    not a person (a footer, the template's example)."""
    width = len(cells)
    values = {key: cells[index] if index < width else "" for key, index in indexes}
    texts = {
        key: cell_line(values[key]) for key in ("name", "reason", "community") if key in values
    }
    if not any(texts.values()) and not any(
        cell_line(values.get(k)) for k in ("id_number", "phone")
    ):
        return None, []
    if not_a_person(texts["name"], cells) or old_example(values, texts):
        return None, []
    problems = []

    def fault(key, reason):
        problems.append(problem(number, headers.get(key, str(FIELD[key].label)), reason))

    for key, limit in LIMITS.items():
        if len(texts.get(key, "")) > limit:
            fault(key, _("Longer than %(n)d characters.") % {"n": limit})
    if not texts["name"]:
        fault("name", _("This cell is empty."))
    row = Row(number, texts["name"], texts.get("reason", ""), texts.get("community", ""))
    clean_identity(row, values, fault)
    return (None, problems) if problems else (row, [])
