"""ETag and Last-Modified for API responses, from the catalogue revision.

Every change a reader can see moves the catalogue revision (catalogue/revisions.py), and
nothing private does. The validators therefore combine the request (path, query string,
format, language) with the revision, read in a single query whatever the endpoint or page
size. Any public change renews every ETag, which is conservative but never stale; a partner's
draft renews none.
"""

import hashlib

from django.utils.translation import get_language

from catalogue.revisions import version_for


def validators(request, media_type):
    """(ETag, Last-Modified as a POSIX timestamp or None) for a GET of this request."""
    version = version_for(request)
    changed_at = version.changed_at.isoformat() if version.changed_at else None
    # The moment as well as the number, so that a database rebuilt from scratch (whose
    # numbers start again) never repeats an ETag of different content.
    request_key = [request.get_full_path(), media_type, get_language()]
    fingerprint = repr(["v2", *request_key, version.number, changed_at])
    etag = '"' + hashlib.sha256(fingerprint.encode()).hexdigest()[:32] + '"'
    return etag, int(version.changed_at.timestamp()) if version.changed_at else None
