"""Reading the spreadsheets people already have: .xlsx, .xls, .ods (calamine) and .csv (UTF-8 or GBK)."""

import csv
import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from fangkong.pii import normalise

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


def read_rows(upload):
    """All rows of the first sheet as lists of cell values; raise ValidationError if unreadable."""
    suffix = Path(upload.name).suffix.lower()
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
        return list(csv.reader(io.StringIO(text)))
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
    return " ".join(str(value).split()) if value is not None else ""


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
