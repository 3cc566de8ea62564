"""CSV exports for organisers, safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return) is a formula to Excel and LibreOffice: a supporter named
``=HYPERLINK(...)`` could run one on an organiser's machine. Every export
goes through :func:`csv_response`, which prefixes such cells with ``'``.
"""

import csv
from itertools import chain

from django.http import StreamingHttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


class _Echo:
    """A file-like object whose write() hands the line back to the writer."""

    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """Stream ``header`` and ``rows`` (iterables of values) as a CSV download,
    so a large export never sits in memory whole."""
    writer = csv.writer(_Echo())

    def lines():
        # A byte-order mark makes spreadsheet programs read the file as UTF-8.
        yield "\ufeff"
        for row in chain([header], rows):
            yield writer.writerow([neutralise(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
