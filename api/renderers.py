"""CSV for spreadsheets and pandas: one row per initiative, one column per field."""

import csv
import io
import itertools

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

# Several values in one cell (sectors, countries, …) are joined with this.
SEPARATOR = "; "

# A cell starting with one of these is read as a formula by spreadsheets (Excel, LibreOffice,
# Google Sheets): a partner's title "=HYPERLINK(…)" would run in an editor's spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text):
    """A cell as written to the CSV: prefixed with an apostrophe when a spreadsheet would take
    it for a formula (OWASP's advice on CSV injection), so it shows as the text it is. The
    JSON is unchanged."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def safe_row(row):
    return [spreadsheet_safe(text) for text in row]


def cell(value):
    """A serialised field as one CSV cell: related records by slug, lists joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return cell(value.get("slug"))
    if isinstance(value, list):
        return SEPARATOR.join(cell(item) for item in value)
    return str(value)


class Echo:
    """A file-like object whose write() hands back the line, for csv.writer to stream."""

    def write(self, line):
        return line


def csv_lines(columns, rows):
    writer = csv.writer(Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(safe_row(cell(row[column]) for column in columns))


class CSVRenderer(BaseRenderer):
    """Lets `?format=csv` (or `Accept: text/csv`) choose CSV; the initiatives list streams the
    rows itself (see `stream_csv`) rather than render one page."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        columns = list(rows[0]) if rows else []
        return "".join(csv_lines(columns, rows)).encode(self.charset)


def csv_chunks(columns, rows, rows_per_chunk=200):
    """The CSV text of the header and then of `rows` (lists of cells), a chunk of rows at a
    time: the server then writes to the socket once per chunk rather than once per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for chunk in itertools.chain([[columns]], itertools.batched(rows, rows_per_chunk)):
        writer.writerows(map(safe_row, chunk))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def stream_csv(columns, rows, filename):
    """A response that writes `rows` (lists of cells, see `cell`) as they are produced.

    UTF-8 without a byte-order mark: pandas and command-line tools read it as it is, and
    Chinese text stays intact; spreadsheets should import it as UTF-8.
    """
    response = StreamingHttpResponse(csv_chunks(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
