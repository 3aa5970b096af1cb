"""Files a reader downloads, written one way for the pages and the API: CSV that streams and
that spreadsheets cannot mistake for formulas."""

import csv
import io
import itertools

from django.http import StreamingHttpResponse

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
