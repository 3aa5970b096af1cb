"""ETag and Last-Modified for API responses, from one cheap query.

Every response is derived from the catalogue tables, so a response can only change when one
of them does: a row is added, deleted or saved (every catalogue model stamps `updated_at`;
alignments, citations and key figures are edited through their initiative, which saving
stamps). The validators therefore combine the request (path, query string, format, language)
with each table's row count and latest `updated_at`, read in a single query whatever the
endpoint or page size. Any change to the catalogue renews every ETag, which is conservative
but never stale.
"""

import hashlib
from datetime import datetime

from django.db import connection
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import get_language

from catalogue.models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Requirement,
    Sector,
    Source,
    Technology,
)

TRACKED_MODELS = [Initiative, Organisation, Sector, Technology, BeneficiaryGroup, Requirement, Source]


def catalogue_state():
    """[(row count, latest updated_at), …] for each tracked table, in one query.

    Plain SQL because the ORM has no query without a FROM table, and any one table may be empty.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)}), "  # noqa: S608 (table names from models, quoted)
        f"(SELECT MAX({quote('updated_at')}) FROM {quote(model._meta.db_table)})"
        for model in TRACKED_MODELS
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        row = cursor.fetchone()
    return list(zip(row[::2], [_as_datetime(value) for value in row[1::2]], strict=True))


def _as_datetime(value):
    # SQLite returns MAX() of a datetime column as text.
    if isinstance(value, str):
        value = parse_datetime(value)
    if isinstance(value, datetime) and is_naive(value):
        value = make_aware(value)
    return value


def validators(request, media_type):
    """(ETag, Last-Modified as a POSIX timestamp or None) for a GET of this request."""
    state = catalogue_state()
    fingerprint = repr(["v1", request.get_full_path(), media_type, get_language(), state])
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    stamps = [latest for _, latest in state if latest is not None]
    return etag, int(max(stamps).timestamp()) if stamps else None
