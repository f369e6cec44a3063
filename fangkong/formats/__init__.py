"""Format overrides per language (settings.FORMAT_MODULE_PATH).

Django's zh_Hans formats put `%Y/%m/%d` first among DATE_INPUT_FORMATS, and a date widget
renders its value in the first input format: `2026/12/03`, which `<input type="date">`
rejects (it shows nothing and submits nothing). Here ISO comes first for every language we
serve; the other formats people type are still parsed.
"""
