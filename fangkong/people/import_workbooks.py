"""The workbooks of the resident import: the template to fill in, and the rejected rows to
fix and upload again."""

import datetime
import json
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.people.imports import (
    CHOICES,
    FIELD,
    FIELDS,
    TEMPLATE_KEYS,
    find_header,
    header_aliases,
    import_grids,
)
from fangkong.spreadsheets import (
    TEMPLATE_ROWS,
    Book,
    Column,
    cell_words,
    fold,
    sheet_rows,
    write_sheet,
    write_table,
)


def template_fields(area):
    """The columns of the template for `area`: the grid is named only in a community's."""
    return [FIELD[key] for key in TEMPLATE_KEYS if key != "grid" or area.level == Level.COMMUNITY]


# The template's example row, marked 示例 so that the import skips it (`imports.not_a_person`).
EXAMPLE = {
    "building": "幸福小区3栋",
    "number": "2单元301",
    "name": "张三（示例）",
    "id_number": "350502199001011234",
    "phone": "13800000000",
    "relation": "户主",
    "residence": "户籍在本地居住",
    "key_groups": "独居老人",
}


def write_template(stream, area, *, user):
    """The survey table with its Chinese headers, an example row (skipped by the import) and
    its number columns formatted as text, and a sheet saying what each column takes (the grids
    of the community `user` may import into, the words each choice column knows)."""
    book = Book(stream)
    fields = template_fields(area)
    columns = [Column(f.label, f.width, text=f.text) for f in fields]
    example = [EXAMPLE.get(f.key, "") for f in fields]
    write_sheet(
        book, title=_("Residents"), columns=columns, rows=[example], blank_rows=TEMPLATE_ROWS
    )
    write_sheet(
        book,
        title=_("How to fill it in"),
        columns=[Column(_("Column"), 22), Column(_("What to write"), 90)],
        rows=[(str(f.label), hint(f.key, area, user)) for f in template_fields(area)],
    )
    book.close()


def hint(key, area, user):
    if key in CHOICES:
        words = "、".join(str(label) for label in CHOICES[key].labels)
        if key == "key_groups":
            return _("Any of %(words)s; several separated by 、 or commas.") % {"words": words}
        return _("One of %(words)s.") % {"words": words}
    if key == "grid":
        grids = import_grids(user, area).order_by("code")
        names = "、".join(f"{g.name}（{g.code}）" for g in grids)
        return _("The grid's name or code: %(grids)s.") % {"grids": names}
    return {
        "building": _(
            "A building not yet in the grid is added. Left empty with the house number (or "
            "with a whole address in a 住址 column instead), the person is registered in the "
            "grid to be placed in a household later (待落户)."
        ),
        "number": _("Required with a building. A household not yet in the building is added."),
        "name": _("Required."),
        "id_number": _(
            "18 characters. Format the column as text, or Excel turns the number into "
            "3.50502E+17 and loses its last digits. Sex and birth date are taken from it."
        ),
        "phone": _("An 11-digit mobile number or a landline number with its area code."),
        "sex": _("男 or 女; only for people without an ID number."),
        "birth_date": _(
            "Only for people without an ID number: 2021-02-09, 2021/2/9, 2021年2月9日 or 20210209."
        ),
    }[key]


def rejected_cells(file_name, data, problems, columns=None):
    """The header and the rows of the file that `problems` name, as they were in it: what the
    rejected rows' workbook shows, kept (encrypted, in `ImportJob.rejected_rows`) so that it
    can be downloaded after the file itself is dropped. JSON bytes, empty if no row is named."""
    numbers = {p["row"] for p in problems if p["row"]}
    if not numbers:
        return b""
    try:
        _count, numbered = sheet_rows(file_name, data)
        header_number, _found, _unknown = find_header(numbered, columns)
        _count, numbered = sheet_rows(file_name, data)
        header, rows = [], []
        for number, cells in numbered:
            if number == header_number:
                header = [cell_words(cell) for cell in cells]
            elif number in numbers:
                rows.append([number, [plain(cell) for cell in cells]])
    except ValidationError:  # a file that cannot be read has no rows to give back
        return b""
    return json.dumps({"header": header, "rows": rows}, ensure_ascii=False).encode()


def rejected_reasons(problems):
    """{row number: "column: reason; …"} of the invalid rows."""
    reasons = defaultdict(list)
    for p in problems:
        if p["row"]:
            reasons[p["row"]].append(
                f"{p['column']}：{p['reason']}" if p["column"] else p["reason"]
            )
    return {row: "；".join(texts) for row, texts in reasons.items()}


def write_rejected(stream, job):
    """The job's invalid rows as they were in the file, with a last column giving the reasons."""
    reasons = rejected_reasons(job.problems)
    kept = json.loads(job.rejected_rows) if job.rejected_rows else {"header": [], "rows": []}
    header = kept["header"]
    rejected = [(number, row) for number, row in kept["rows"] if number in reasons]
    width = max([len(header), *(len(row) for _number, row in rejected)])
    texts = {fold(alias) for f in FIELDS if f.text for alias in header_aliases()[f.key]}
    columns = [Column(name, 16, text=fold(name) in texts) for name in header]
    columns += [Column("", 16) for _extra in range(width - len(header))]
    columns.append(Column(_("Reason for rejection"), 60))
    write_table(
        stream,
        title=_("Rejected rows"),
        columns=columns,
        rows=([*row, *[""] * (width - len(row)), reasons[number]] for number, row in rejected),
    )


def plain(cell):
    """A cell's value as the rejected rows' workbook writes it: dates as text, numbers whole."""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.isoformat()[:10]
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if cell is None or isinstance(cell, str | int | float):
        return cell
    return str(cell)  # times and durations, as text
