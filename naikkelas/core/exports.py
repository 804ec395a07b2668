"""Writing exports that are safe to open in a spreadsheet program."""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Neutralise text a spreadsheet would run as a formula (CSV injection) by prefixing a quote.

    Numbers stay numbers; only text cells starting with = + - @ tab or CR are changed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
