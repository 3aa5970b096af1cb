"""The dataset version: the catalogue's editorial releases and what each added, corrected or
withdrawn (fixtures/dataset/releases.json).

Two numbers say what data an answer holds, and they measure different things:

- the **dataset version** ("1.2.0") is an editorial release: the shipped fixtures as the
  editors checked them against the seed documents, with a changelog a reader can follow. It
  moves only when a release is written down here, in the same commit as the fixtures;
- the **revision** (`CatalogueRevision.number`, catalogue/revisions.py) moves with every
  change to the published data, an editor's admin edit or a partner's published case
  included. Caches, ETags and the downloads' freshness key on it, never on the dataset version.

So "dataset 1.2.0, revision 57" is release 1.2.0 and whatever was changed on this site since.
The releases are a file under version control rather than a table: a release is made by
editing the fixtures, and its changelog is reviewed with them; no database can hold a
changelog that disagrees with the data it describes.
"""

import json
from functools import cache

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# bulk.LICENCE's address (bulk imports this module, so it is not imported from there).
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
RELEASES_FILE = settings.BASE_DIR / "fixtures" / "dataset" / "releases.json"

# What a change did, in the order a release lists them.
KINDS = {"added": _("Added"), "corrected": _("Corrected"), "withdrawn": _("Withdrawn")}

# The terms of what the catalogue publishes: its own records under CC BY 4.0 (bulk.LICENCE),
# the quoted source text under its sources' terms.
QUOTED_TEXT_TERMS = (
    "Quoted source text (citation and evidence quotes) remains under its source documents' terms."
)


@cache
def releases():
    """Every release, the newest first: dicts of version, date, summary and changes (each a
    kind and a text), the changes grouped by kind."""
    content = json.loads(RELEASES_FILE.read_text("utf-8"))
    for release in content["releases"]:
        release["groups"] = [
            (KINDS[kind], [change["text"] for change in release["changes"] if change["kind"] == kind])
            for kind in KINDS
            if any(change["kind"] == kind for change in release["changes"])
        ]
    return content["releases"]


def current_version():
    """The dataset version the shipped catalogue is at: the newest release's."""
    return releases()[0]["version"]


DATASET_VERSION_HEADER = "Casebook-Dataset-Version"
# Addresses whose answers are data even without a Content-Disposition: the API, the bulk
# files, the vocabularies as SKOS.
DATA_PATHS = ("/api/", "/downloads/", "/vocabularies/")


def is_data(request, response):
    """Whether `response` publishes catalogue data: an API answer, a download (the bulk files,
    a list's or a case's export, the evidence matrix's CSV, a vocabulary's SKOS)."""
    return request.path_info.startswith(DATA_PATHS) or response.has_header("Content-Disposition")


def licence_and_version_headers(get_response):
    """Every answer that publishes data says under what licence and from which dataset version:
    `Link: <CC BY 4.0>; rel="license"` and `Casebook-Dataset-Version`. Headers, so that a CSV
    or a BibTeX file stays what its readers expect; the JSON downloads and the API root say it
    in their body as well."""
    link = f'<{LICENCE_URL}>; rel="license"'

    def middleware(request):
        response = get_response(request)
        if response.status_code < 400 and is_data(request, response):
            response.headers.setdefault(DATASET_VERSION_HEADER, current_version())
            existing = response.headers.get("Link")
            response.headers["Link"] = f"{existing}, {link}" if existing else link
        return response

    return middleware
