"""CSV for spreadsheets and pandas: one row per initiative, one column per field."""

import csv

from rest_framework.renderers import BaseRenderer

from catalogue.downloads import safe_row

# Several values in one cell (sectors, countries, …) are joined with this.
SEPARATOR = "; "


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
    rows itself (see `catalogue.downloads.stream_csv`) rather than render one page."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        rows = data if isinstance(data, list) else [data]
        columns = list(rows[0]) if rows else []
        return "".join(csv_lines(columns, rows)).encode(self.charset)
