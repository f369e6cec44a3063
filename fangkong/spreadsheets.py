"""Reading the spreadsheets people already have: .xlsx, .xls, .ods (calamine) and .csv (UTF-8 or
GBK); and writing the product's workbooks, all through one writer (`Book`) that never turns a
user's text into a formula."""

import csv
import datetime
import decimal
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from fangkong.pii import normalise

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
MAX_UPLOAD_BYTES = 50 * 2**20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Field:
    """A column of an imported table: its header in the template and the headers it is known by."""

    key: str
    label: str
    aliases: tuple
    width: int = 12
    text: bool = False  # written as text, so that Excel keeps every digit


def fold(text):
    """Text as compared when reading a sheet: normalised (full-width folded) and lower case."""
    return normalise(text).lower()


def problem(row, column, reason):
    """One fault of a file: the row as the spreadsheet numbers it, the column's header as
    written in the file, the reason in the user's language."""
    return {"row": row, "column": column, "reason": str(reason)}


def check_upload(upload):
    """Refuse a file too large or of a kind the imports cannot read, before reading it."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    if Path(upload.name).suffix.lower() not in {*SPREADSHEET_SUFFIXES, ".csv"}:
        raise ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))


def read_rows(upload):
    """All rows of the first sheet as lists of cell values; raise ValidationError if unreadable."""
    check_upload(upload)
    data = upload.read()
    if Path(upload.name).suffix.lower() == ".csv":
        return list(_csv_rows(data))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception:  # calamine reports corrupt files with several exception types
        raise ValidationError(_("The file could not be read as a spreadsheet.")) from None


def sheet_rows(name, data):
    """The rows of the first sheet of a file, numbered as the spreadsheet shows them (the
    first row is 1, empty rows above the table count), and how many there are.

    Returns (count, iterator of (number, cells)); a workbook's cells are produced as they
    are iterated, so a long sheet is never held twice as Python lists.
    """
    if Path(name).suffix.lower() == ".csv":
        rows = list(_csv_rows(data))
        return len(rows), enumerate(rows, start=1)
    if Path(name).suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        count = sheet.end[0] + 1 if sheet.end else 0
        return count, enumerate(_checked(sheet.iter_rows()), start=1)
    except Exception:  # calamine reports corrupt files with several exception types
        raise ValidationError(_("The file could not be read as a spreadsheet.")) from None


def _checked(rows):
    try:
        yield from rows
    except Exception:
        raise ValidationError(_("The file could not be read as a spreadsheet.")) from None


def _csv_rows(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("The CSV file is neither UTF-8 nor GBK encoded."))
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error:
        raise ValidationError(
            _("The CSV file is malformed (a field is too long or broken).")
        ) from None


def cell_text(value):
    """A cell as normalised text; whole floats lose the '.0' Excel gives numbers."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalise(value) if value is not None else ""


def cell_words(value):
    """A cell as written, trimmed and with runs of white space made one space."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:
        return ""
    text = "".join(c for c in str(value) if unicodedata.category(c) != "Cc" or c.isspace())
    return " ".join(text.split())


def cell_line(value):
    """A cell as one line of plain text: full-width letters, digits and signs made half-width
    (NFKC), control characters dropped, white space trimmed and runs of it made one space."""
    if value.__class__ is str:
        text = value
    elif value is None:
        return ""
    else:
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if text.isprintable():  # no control characters, no white space but plain spaces
        return " ".join(text.split()) if " " in text else text
    return " ".join(_CONTROL.sub("", text).split())


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Cc but the white-space ones

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's leap-year bug aside)
DATE_FORMS = [
    re.compile(r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})"),
]
TIME_OF_DAY = re.compile(r"[ T]+[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$")


def cell_date(value):
    """A date from a cell in any of the forms people type or Excel stores: a date cell, an
    Excel serial number (44236), 2021/2/9, 2021-02-09, 2021.2.9, 2021年2月9日, 20210209.
    None for an empty cell; ValidationError for anything else."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValidationError(_("Not a date."))
    text = TIME_OF_DAY.sub("", cell_line(value)).replace(" ", "")
    if not text:
        return None
    if re.fullmatch(r"[0-9]{1,5}(\.[0-9]+)?", text):  # an Excel serial, typed or stored
        serial = int(float(text))
        if 0 < serial < 2958466:
            return EXCEL_EPOCH + datetime.timedelta(days=serial)
    for form in DATE_FORMS:
        match = form.fullmatch(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise ValidationError(
        _("“%(value)s” is not a date; write it as 2021-02-09.") % {"value": cell_words(value)[:20]}
    )


# Rows of an imported table that are not people: totals, who filled in and checked it, when
# (at the start of a cell); and the row a template or a colleague marks as an example.
FOOTER_STARTS = (
    *("合计", "总计", "小计", "共计", "填表人", "填报人", "制表人", "审核人", "负责人"),
    *("联系人", "联系电话", "填表日期", "填报日期", "制表日期", "日期", "签字", "盖章"),
    *("填报单位", "注:", "说明:", "备注:"),
)
EXAMPLE_MARKS = ("示例", "样例", "范例", "例:")


def _either(words):
    """A pattern matching any of `words`, a colon in them either half- or full-width."""
    return "|".join(re.escape(word).replace(":", "[:：]") for word in words)


NOT_A_PERSON = re.compile(
    rf"\s*(?:{_either(FOOTER_STARTS)})|.*?(?:{_either(EXAMPLE_MARKS)})", re.DOTALL
)


def not_a_person(name, cells):
    """Whether a row is a footer or an example: its name, or its first cell, says so.
    (One pattern, matched at most twice: it runs for every row of a file.)"""
    first = cells[0] if cells else ""
    if first is None or first == "":
        first = next((cell for cell in cells if cell is not None and cell != ""), "")
    return NOT_A_PERSON.match(name) is not None or (
        first.__class__ is str and first != name and NOT_A_PERSON.match(first) is not None
    )


def map_headers(header_row, aliases):
    """Column index per field, from a header row matched against each field's aliases."""
    wanted = {
        normalise(alias).lower(): field for field, names in aliases.items() for alias in names
    }
    columns = {}
    for index, header in enumerate(header_row):
        field = wanted.get(cell_text(header).lower())
        if field and field not in columns:
            columns[field] = index
    return columns


class Column:
    """One column of a written table: its header, its width in characters, and whether its
    cells are text that Excel must not read as a number (codes, ID numbers, phones)."""

    def __init__(self, header, width=12, text=False):
        self.header = str(header)
        self.width = width
        self.text = text


# Text that a spreadsheet program reads as a formula (or, in a CSV file, a command) when it
# starts a cell: OWASP's list. A workbook writes any text as a string whatever it starts
# with, and marks these with Excel's quote prefix, so that editing the cell keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT = {"num_format": "@"}  # a text column: what is typed into it keeps every digit


def csv_cell(value):
    """A cell as a CSV export writes it: text that would start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Book:
    """The one workbook writer of the product. A cell is written by the kind of its value,
    never by what its text looks like: text stays text (a name `=HYPERLINK(…)` is no formula,
    `http://…` no link, `0123` no number), numbers stay numbers and dates dates. Styles are
    xlsxwriter format properties as dicts (`{"bold": True, "border": 1}`).

    `large`: cells are streamed through a temporary file (xlsxwriter's constant memory mode)
    so that a long list does not sit in memory; rows must then be written top to bottom."""

    def __init__(self, stream, *, large=False):
        memory = {"constant_memory": True, "in_memory": False} if large else {"in_memory": True}
        # No guessing from text anywhere, not even inside xlsxwriter's merge_range.
        guesses = {"strings_to_formulas": False, "strings_to_urls": False}
        self.workbook = xlsxwriter.Workbook(stream, {**memory, **guesses})
        self._formats = {}
        self._by_style = {}  # id of a style dict: (the dict, its format), for long lists

    def sheet(self, title):
        return Sheet(self, self.workbook.add_worksheet(str(title)[:31]))

    def format(self, style=None, **more):
        """The workbook's format for `style` (a dict, not changed once used) and `more`."""
        if not more:
            if not style:
                return None
            known = self._by_style.get(id(style))
            if known is not None and known[0] is style:
                return known[1]
        merged = {**(style or {}), **more}
        key = tuple(sorted(merged.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(merged)
        if not more:
            self._by_style[id(style)] = (style, self._formats[key])
        return self._formats[key]

    def close(self):
        self.workbook.close()


class Sheet:
    """A sheet of a `Book`: cells are written by `cell`, `row` and `merge`, the layout (widths,
    frozen panes, print setup) through the xlsxwriter methods LAYOUT names."""

    LAYOUT = frozenset(
        {
            "autofilter",
            "fit_to_pages",
            "freeze_panes",
            "repeat_rows",
            "set_column",
            "set_landscape",
            "set_paper",
            "set_row",
        }
    )

    def __init__(self, book, worksheet):
        self.book = book
        self._sheet = worksheet

    def __getattr__(self, name):
        if name in self.LAYOUT:
            return getattr(self._sheet, name)
        raise AttributeError(f"Sheet.{name}: write cells with cell(), row() or merge()")

    def column(self, first, last, width, style=None):
        """The width of columns `first`..`last`, and the format of what is typed into them."""
        self._sheet.set_column(first, last, width, self.book.format(style))

    def cell(self, row, col, value, style=None):
        """Write one value by its kind; None and "" leave the cell empty (but styled)."""
        sheet = self._sheet
        if value.__class__ is str and value:  # most cells: the short way
            if value.startswith(FORMULA_STARTS):
                sheet.write_string(row, col, value, self.book.format(style, quote_prefix=True))
            else:
                sheet.write_string(row, col, value, self.book.format(style))
            return
        value, fmt = self._prepared(value, style)
        if value is None:
            if fmt is not None:
                sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            sheet.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value, fmt)
        elif isinstance(value, datetime.date):
            sheet.write_datetime(row, col, value, fmt)
        else:
            sheet.write_string(row, col, value, fmt)

    def row(self, row, col, values, style=None):
        for offset, value in enumerate(values):
            self.cell(row, col + offset, value, style)

    def merge(self, first_row, first_col, last_row, last_col, value, style=None):
        """Merge a range holding `value`, written as `cell` writes it (merge_range dispatches
        on the value's type; the book's options keep its text from being guessed at)."""
        value, fmt = self._prepared(value, style)
        self._sheet.merge_range(first_row, first_col, last_row, last_col, value, fmt)

    def _prepared(self, value, style):
        """(value, format) as written: text for anything that is not a number or a date."""
        fmt = self.book.format
        if value is None or value == "":
            return None, fmt(style)
        if isinstance(value, bool | int | float):
            return value, fmt(style)
        if isinstance(value, decimal.Decimal):
            return float(value), fmt(style)
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.make_naive(value)
            return value, fmt({"num_format": DATETIME_FORMAT, **(style or {})})
        if isinstance(value, datetime.date):
            return value, fmt({"num_format": DATE_FORMAT, **(style or {})})
        text = str(value)
        if text.startswith(FORMULA_STARTS):
            return text, fmt(style, quote_prefix=True)
        return text, fmt(style)


def write_table(stream, *, title, columns, rows, blank_rows=0):
    """Write one sheet ready to print: bold Chinese headers repeated on every page, the header
    row frozen, sensible widths, landscape and one page wide. `rows` may be any iterable;
    rows are streamed to disk, so a long list does not sit in memory."""
    book = Book(stream, large=True)
    count = write_sheet(book, title=title, columns=columns, rows=rows, blank_rows=blank_rows)
    book.close()
    return count


# The rows of a template to fill in whose text columns are text cell by cell: the column's
# own format is not kept by every program (copying rows in, WPS, some readers).
TEMPLATE_ROWS = 1000


def write_sheet(book, *, title, columns, rows, blank_rows=0):
    """Add one sheet as `write_table` describes to an open `Book` (a workbook of several
    sheets); return the number of rows written. A text column's numbers are written as text,
    and its cells in the `blank_rows` below the rows (a template's) are formatted as text."""
    header = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
    sheet = book.sheet(title)
    for index, column in enumerate(columns):
        sheet.column(index, index, column.width, TEXT if column.text else None)
        sheet.cell(0, index, column.header, header)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if columns[index].text:
                sheet.cell(count, index, str(value), TEXT)
            else:
                sheet.cell(count, index, value)
    texts = [index for index, column in enumerate(columns) if column.text]
    for blank in range(count + 1, count + 1 + blank_rows):
        for index in texts:
            sheet.cell(blank, index, None, TEXT)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    return count


def xlsx_response(filename):
    """An empty download response for a workbook; the Chinese file name survives (RFC 6266)."""
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
