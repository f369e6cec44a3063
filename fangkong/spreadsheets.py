"""Reading the spreadsheets people already have: .xlsx, .xls, .ods (calamine) and .csv (UTF-8 or GBK)."""

import csv
import io
import unicodedata
from pathlib import Path

import xlsxwriter
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from fangkong.pii import normalise

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
MAX_UPLOAD_BYTES = 50 * 2**20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_rows(upload):
    """All rows of the first sheet as lists of cell values; raise ValidationError if unreadable."""
    suffix = Path(upload.name).suffix.lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20}
        )
    data = upload.read()
    if suffix == ".csv":
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
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ValidationError(_("Upload an .xlsx, .xls, .ods or .csv file."))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception:  # calamine reports corrupt files with several exception types
        raise ValidationError(_("The file could not be read as a spreadsheet.")) from None


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


def write_table(stream, *, title, columns, rows):
    """Write one sheet ready to print: bold Chinese headers repeated on every page, the header
    row frozen, sensible widths, landscape and one page wide. `rows` may be any iterable;
    rows are streamed to disk, so a long list does not sit in memory."""
    workbook = xlsxwriter.Workbook(stream, {"constant_memory": True, "in_memory": False})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet(str(title)[:31])
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width, text if column.text else None)
        sheet.write_string(0, index, column.header, header)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if columns[index].text or isinstance(value, str):
                sheet.write_string(count, index, str(value))
            else:
                sheet.write(count, index, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)
    workbook.close()
    return count


def xlsx_response(filename):
    """An empty download response for a workbook; the Chinese file name survives (RFC 6266)."""
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
