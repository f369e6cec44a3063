"""Reading a list of cases reported by a higher level (上级通报的病例名单): name, ID number,
phone, classification, onset / report / isolation dates, address and the community or grid,
in any order under the headers people write. The cells are read and cleaned by the shared
machinery (`fangkong.spreadsheets`, `people.imports.clean_identity`, as verification lists
are); every faulty row is reported with its number, its column as written and the reason."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong import dates
from fangkong.people.imports import clean_identity
from fangkong.spreadsheets import (
    Field,
    cell_date,
    cell_line,
    cell_words,
    fold,
    map_headers,
    not_a_person,
    problem,
    sheet_rows,
)
from fangkong.tracing.models import Case

FIELDS = [
    Field("name", gettext_lazy("Full name"), ("姓名", "名字", "患者姓名", "name"), 12),
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
        "classification",
        gettext_lazy("Classification"),
        ("病例分类", "分类", "病例类型", "类型", "诊断类型", "classification"),
        12,
    ),
    Field("onset_on", gettext_lazy("Onset date"), ("发病日期", "发病时间", "onset"), 12),
    Field(
        "reported_on",
        gettext_lazy("Report date"),
        ("报告日期", "报告时间", "诊断日期", "确诊日期", "report date"),
        12,
    ),
    Field("isolated_on", gettext_lazy("Isolation date"), ("隔离日期", "隔离时间"), 12),
    Field("address", gettext_lazy("Address"), ("现住址", "住址", "地址", "address"), 30),
    Field(
        "area",
        gettext_lazy("Community or grid"),
        ("社区/村", "社区", "村", "村居", "网格", "所属社区", "区划代码", "community"),
        16,
    ),
]
FIELD = {f.key: f for f in FIELDS}
LIMITS = {"name": 50, "address": 200, "area": 100}
DATE_KEYS = ("onset_on", "reported_on", "isolated_on")
REQUIRED = ("name", "classification", "reported_on")
# The words a list may use for each classification, folded as the cells are.
CLASSIFICATION_WORDS = {
    **dict.fromkeys(("确诊", "确诊病例", "confirmed"), Case.Classification.CONFIRMED),
    **dict.fromkeys(("疑似", "疑似病例", "suspected"), Case.Classification.SUSPECTED),
    **dict.fromkeys(
        ("无症状", "无症状感染者", "无症状感染", "asymptomatic"), Case.Classification.ASYMPTOMATIC
    ),
}


@dataclass
class Reading:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)
    rows_total: int = 0


def header_aliases():
    return {f.key: [*f.aliases, str(f.label)] for f in FIELDS}


def read_cases(name, data, look=10):
    """Every row of an uploaded case list, cleaned: rows as namespaces (name, identity,
    classification, dates, address, area text), and the problems of the faulty ones. A file
    that cannot be read or has no header is a ValidationError."""
    reading = Reading()
    count, numbered = sheet_rows(name, data)
    aliases = header_aliases()
    header_number = None
    for number, cells in numbered:
        columns = map_headers(cells, aliases)
        if "name" in columns and len(columns) >= 3:
            header_number = number
            reading.headers = {key: cell_words(cells[i]) for key, i in columns.items()}
            break
        if number >= look:
            break
    if header_number is None:
        raise ValidationError(_("No header row with the name, classification and report date."))
    missing = [str(FIELD[k].label) for k in REQUIRED if k not in columns]
    if missing:
        raise ValidationError(
            _("The list has no column of %(columns)s.") % {"columns": "、".join(missing)}
        )
    reading.rows_total = max(count - header_number, 0)
    for number, cells in numbered:
        row, problems = clean_row(number, cells, columns, reading.headers)
        reading.problems += problems
        if row is not None and not problems:
            reading.rows.append(row)
    return reading


def clean_row(number, cells, columns, headers):
    """(row, problems) of one line; (None, []) for an empty line, a footer or an example."""
    width = len(cells)
    values = {key: cells[index] if index < width else "" for key, index in columns.items()}
    texts = {key: cell_line(value) for key, value in values.items() if key not in DATE_KEYS}
    if not any(texts.values()) and not any(cell_line(values.get(k)) for k in DATE_KEYS):
        return None, []
    if not_a_person(texts.get("name", ""), cells):
        return None, []
    problems, faulted = [], set()

    def fault(key, reason):
        faulted.add(key)
        problems.append(problem(number, headers.get(key, str(FIELD[key].label)), reason))

    for key, limit in LIMITS.items():
        if len(texts.get(key, "")) > limit:
            fault(key, _("Longer than %(n)d characters.") % {"n": limit})
    row = SimpleNamespace(
        number=number,
        name=texts.get("name", ""),
        address=texts.get("address", ""),
        area_text=texts.get("area", ""),
        classification=CLASSIFICATION_WORDS.get(fold(texts.get("classification", ""))),
    )
    if not row.name:
        fault("name", _("This cell is empty."))
    if not texts.get("classification"):
        fault("classification", _("This cell is empty."))
    elif row.classification is None:
        fault(
            "classification",
            _("“%(value)s” is not a classification: write 确诊, 疑似 or 无症状.")
            % {"value": texts["classification"][:20]},
        )
    for key in DATE_KEYS:
        setattr(row, key, _day(values.get(key), key, fault))
    if row.reported_on is None and "reported_on" not in faulted:
        fault("reported_on", _("This cell is empty."))
    if row.onset_on and row.reported_on and row.onset_on > row.reported_on:
        fault("onset_on", _("The onset cannot be after the report date."))
    clean_identity(row, values, fault)
    return (None, problems) if problems else (row, [])


def _day(value, key, fault):
    try:
        day = cell_date(value)
    except ValidationError as error:
        fault(key, " ".join(error.messages))
        return None
    if day is not None and (message := dates.RECORDED_DAY.refusal(day)):
        fault(key, message)
        return None
    return day
