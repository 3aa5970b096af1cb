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
