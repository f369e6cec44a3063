"""Import of an area tree from a spreadsheet: validate every row, then create all or nothing."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.areas.models import SIGNIFICANT_DIGITS, Area, Level, is_area_code
from fangkong.scope import system_scope
from fangkong.spreadsheets import Column, cell_text, cell_words, map_headers, read_rows, write_table

HEADER_ALIASES = {
    "code": ["code", "编码", "代码", "区划代码", "统计用区划代码", "区划编码"],
    "name": ["name", "名称", "区划名称", "名字"],
    "level": ["level", "级别", "层级", "类型"],
    "parent_code": [
        "parent code",
        "parent_code",
        "上级编码",
        "上级代码",
        "上级区划代码",
        "父级编码",
    ],
}
LEVEL_ALIASES = {
    **{level.value: level.value for level in Level},
    **{str(level.label): level.value for level in Level},
    "省": "province",
    "自治区": "province",
    "直辖市": "province",
    "市": "city",
    "地级市": "city",
    "州": "city",
    "县": "county",
    "区": "county",
    "县级市": "county",
    "旗": "county",
    "县区": "county",
    "乡": "township",
    "镇": "township",
    "乡镇": "township",
    "街道": "township",
    "村": "community",
    "社区": "community",
    "村社区": "community",
    "村(社区)": "community",
    "网格": "grid",
}


COLUMN_LABELS = {
    "code": gettext_lazy("Code"),
    "name": gettext_lazy("Name"),
    "level": gettext_lazy("Level"),
    "parent_code": gettext_lazy("Parent code"),
    "parent": gettext_lazy("Parent code"),
}


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)  # (row number, column, message)
    created: list = field(default_factory=list)
    unchanged: int = 0

    def errors_for_people(self):
        """The errors with the column as the user knows it."""
        return [
            (row, ", ".join(str(COLUMN_LABELS.get(c, c)) for c in column.split(", ")), message)
            for row, column, message in self.errors
        ]


def import_area_file(*, actor, upload):
    result = ImportResult()
    try:
        rows = read_rows(upload)
    except ValidationError as error:
        result.errors.append((None, "", " ".join(error.messages)))
        return result
    if not rows:
        result.errors.append((None, "", _("The file is empty.")))
        return result
    columns = map_headers(rows[0], HEADER_ALIASES)
    missing = [name for name in HEADER_ALIASES if name not in columns]
    if missing:
        result.errors.append((1, ", ".join(missing), _("Required columns are missing.")))
        return result
    records = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {name: row[index] if index < len(row) else None for name, index in columns.items()}
        values = {
            "code": cell_text(cells["code"]),
            "parent_code": cell_text(cells["parent_code"]),
            # Names are kept as written, only trimmed: "Sunny Garden" stays two words.
            "name": cell_words(cells["name"]),
            "level": cell_words(cells["level"]),
        }
        if any(values.values()):
            records.append((number, values))
    import_areas(actor=actor, records=records, result=result)
    return result


def import_areas(*, actor, records, result):
    """Create the areas of `records` [(row number, values)], all or nothing.

    Rows may come in any order: a row waits until its parent is known, from the file or
    from the actor's areas.
    """
    counts = Counter(values["code"] for _number, values in records)
    waiting = []
    for number, values in records:
        error = row_error(values)
        if error:
            result.errors.append((number, *error))
        elif counts[values["code"]] > 1:
            result.errors.append((number, "code", _("The code appears twice in the file.")))
        else:
            waiting.append((number, values))
    known = {}  # code → area of this file, new or already present, that rows may hang under
    visible = Area.objects.visible_to(actor, "areas.view_area")
    while waiting:
        later = []
        for number, values in waiting:
            parent = known.get(values["parent_code"])
            if parent is None and values["parent_code"] not in counts:
                parent = visible.filter(code=values["parent_code"]).first()
                if parent is None:
                    result.errors.append(
                        (
                            number,
                            "parent_code",
                            _("The parent area is neither in the file nor in your areas."),
                        )
                    )
                    continue
            if parent is None:
                later.append((number, values))
                continue
            area = check_row(actor, number, values, parent, result)
            if area:
                known[area.code] = area
        if len(later) == len(waiting):
            result.errors += [
                (number, "parent_code", _("The parent area in the file has an error."))
                for number, _values in later
            ]
            break
        waiting = later
    result.errors.sort(key=lambda error: error[0] or 0)
    if result.errors:
        return
    with transaction.atomic():
        for area in sorted(known.values(), key=lambda area: area.path):
            if area.pk is None:
                area.save()
                result.created.append(area)


def row_error(values):
    if not values["code"]:
        return "code", _("The code is empty.")
    if not values["name"]:
        return "name", _("The name is empty.")
    if not level_of(values):
        return "level", _("Unknown level “%(v)s”.") % {"v": values["level"]}
    return None


def level_of(values):
    return LEVEL_ALIASES.get(values["level"].lower()) or LEVEL_ALIASES.get(values["level"])


def check_row(actor, number, values, parent, result):
    """The new area of one row under its known parent, or None with the row's error noted."""
    # A code is unique in the whole country: one taken outside the actor's areas is taken too.
    with system_scope():
        existing = Area.objects.filter(code=values["code"]).first()
    if existing:
        if existing.name == values["name"] and existing.parent_id == parent.pk:
            result.unchanged += 1
            # Children in the file may hang under it.
            return existing
        result.errors.append((number, "code", _("An area with this code exists already.")))
        return None
    if not actor.has_perm("areas.add_area", parent):
        result.errors.append((number, "parent_code", _("You may not add areas under this parent.")))
        return None
    area = Area(code=values["code"], name=values["name"], level=level_of(values), parent=parent)
    area.path = parent.path + area.code + "/"
    try:
        area.full_clean(exclude=["path", "parent"])
    except ValidationError as error:
        for column, messages in error.message_dict.items():
            result.errors.append((number, column, " ".join(messages)))
        return None
    return area


def write_template(stream, parent, user):
    """The import's workbook: Chinese headers, wide columns, one example row under `parent`."""
    # Codes are text: Excel users copy a number format down and long numbers become 3.5E+11.
    columns = [
        Column(_("Code"), 20, text=True),
        Column(_("Name"), 24),
        Column(_("Level"), 14),
        Column(_("Parent code"), 20, text=True),
    ]
    rows = []
    if parent is not None and parent.child_level:
        child = Level(parent.child_level)
        rows.append(
            [next_child_code(parent, user), str(_("Example")), str(child.label), parent.code]
        )
    write_table(stream, title=_("Areas"), columns=columns, rows=rows)


def next_child_code(parent, user):
    """The first free code for a new child of `parent` (for examples and suggestions); the
    parent is in the user's areas, and so are its children."""
    if parent.child_level == Level.GRID:
        start, width = len(parent.code), 3
    else:
        start = SIGNIFICANT_DIGITS[parent.level]
        width = SIGNIFICANT_DIGITS[parent.child_level] - start
    taken = parent.children.visible_to(user, "areas.view_area").values_list("code", flat=True)
    number = max((int(c[start : start + width]) for c in taken if is_area_code(c)), default=0) + 1
    code = parent.code[:start] + f"{number:0{width}d}"
    return code if parent.child_level == Level.GRID else code.ljust(12, "0")
