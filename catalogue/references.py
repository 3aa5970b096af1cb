"""How to cite a case: one `Reference` per initiative (the catalogue record, citing the version
last changed), written out as a suggested citation, BibTeX, RIS and CSL-JSON for reference
managers, and as the `citation_*` meta tags Zotero and Google Scholar read.

Every format is made from the same Reference, so the formats cannot disagree; the tests read
each one back with the parser its users' tools use (bibtexparser, rispy, citeproc-py).
"""

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .languages import (
    TRANSLATED_FIELDS,
    in_interface_language,
    in_row,
    language_code_in_row,
    language_code_shown,
)
from .models import Initiative, Sector, Source, Technology
from .models.initiatives import RECORD_SEPARATOR, UNIT_SEPARATOR

CATALOGUE = "Casebook"


@dataclass(frozen=True)
class SourceReference:
    """A document a case is cited from, with the place in it."""

    title: str
    publisher: str
    year: int | None
    location: str
    url: str

    def text(self):
        details = ", ".join(str(part) for part in (self.publisher, self.year) if part)
        return f"{self.title}{f' ({details})' if details else ''}, {self.location}"


@dataclass(frozen=True)
class Reference:
    key: str
    title: str
    summary: str
    url: str
    updated: object  # datetime.date: the version of the record being cited
    lead_organisation: str
    keywords: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    # The language code of the title and of the summary ({"title": "fr", "summary": "en"}): a
    # collection's page says from it which of its cases it shows in English.
    languages: dict = field(default_factory=dict)

    @classmethod
    def of(cls, initiative, request):
        """The reference of a case, from what `for_detail()` prefetched (no query)."""
        lead = initiative.lead_organisation
        return cls(
            key=f"casebook-{initiative.slug}",
            title=initiative.display_title,
            summary=initiative.display_summary,
            url=request.build_absolute_uri(initiative.get_absolute_url()),
            updated=initiative.updated_at.date(),
            lead_organisation=lead.display_name if lead else "",
            keywords=[
                *(sector.display_name for sector in initiative.sectors.all()),
                *(technology.display_name for technology in initiative.technologies.all()),
            ],
            sources=[
                SourceReference(
                    title=citation.source.display_name,
                    publisher=citation.source.publisher,
                    year=citation.source.published_on.year if citation.source.published_on else None,
                    location=citation.location,
                    url=citation.source.url,
                )
                for citation in in_citation_order(initiative.citations.all())
            ],
            languages={name: language_code_shown(initiative, name) for name in TRANSLATED_FIELDS},
        )

    @classmethod
    def from_row(cls, row, lookup):
        """The same reference as `of()`, from a `for_references()` row and a ReferenceLookup:
        a list's BibTeX or RIS costs a dict per case rather than objects and prefetches."""
        return cls(
            key=f"casebook-{row['slug']}",
            title=in_row(row, "title"),
            summary=in_row(row, "summary"),
            url=lookup.url_of(row["slug"]),
            updated=row["updated_at"].date(),
            lead_organisation=in_row(row, "lead_organisation__name") or "",
            keywords=[*lookup.sectors(row["sector_ids"]), *lookup.technologies(row["technology_ids"])],
            sources=lookup.sources(row["cited"]),
            languages={name: language_code_in_row(row, name) for name in TRANSLATED_FIELDS},
        )

    # --- Frozen in a collection --------------------------------------------------------------

    def as_dict(self):
        """The reference as JSON-ready data (a collection keeps it as it was when saved)."""
        return {**asdict(self), "updated": self.updated.isoformat()}

    @classmethod
    def from_dict(cls, data):
        return cls(
            **{
                **data,
                "updated": date.fromisoformat(data["updated"]),
                "sources": [SourceReference(**source) for source in data["sources"]],
            }
        )

    # --- Text a reader copies -----------------------------------------------------------------

    def text(self):
        """The suggested citation of the catalogue record (author-date)."""
        return _("%(catalogue)s (%(date)s). %(title)s [case study]. %(url)s") % {
            "catalogue": CATALOGUE,
            "date": self.updated.isoformat(),
            "title": self.title,
            "url": self.url,
        }

    def note(self):
        parts = []
        if self.lead_organisation:
            parts.append(_("Led by %(organisation)s.") % {"organisation": self.lead_organisation})
        parts.extend(_("Source: %(source)s.") % {"source": source.text()} for source in self.sources)
        return " ".join(parts)

    # --- Files for reference managers ---------------------------------------------------------

    def bibtex(self):
        fields = [
            ("title", f"{{{bibtex_escape(self.title)}}}"),  # double braces keep its capitals
            ("author", f"{{{CATALOGUE}}}"),  # a corporate author, not "Casebook, ?"
            ("year", str(self.updated.year)),
            ("month", str(self.updated.month)),
            ("date", self.updated.isoformat()),
            ("url", self.url),
            ("howpublished", f"\\url{{{self.url}}}"),
            ("abstract", bibtex_escape(self.summary)),
            ("keywords", bibtex_escape(", ".join(self.keywords))),
            ("note", bibtex_escape(self.note())),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self):
        lines = [
            ("TY", "ELEC"),
            ("ID", self.key),
            ("TI", self.title),
            ("AU", f"{CATALOGUE},"),  # the trailing comma marks a corporate author
            ("PY", str(self.updated.year)),
            ("DA", self.updated.strftime("%Y/%m/%d")),
            ("PB", CATALOGUE),
            ("UR", self.url),
            ("AB", self.summary),
            *(("KW", keyword) for keyword in self.keywords),
            ("N1", self.note()),
        ]
        # One line per tag: a line break inside a value would start a stray line.
        text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
        return f"{text}ER  - \r\n"

    def csl(self):
        """A CSL-JSON item (the format of citeproc, Zotero and Pandoc)."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "author": [{"literal": CATALOGUE}],
            "container-title": CATALOGUE,
            "publisher": CATALOGUE,
            "issued": {"date-parts": [[self.updated.year, self.updated.month, self.updated.day]]},
            "URL": self.url,
            "abstract": self.summary,
            "keyword": ", ".join(self.keywords),
            "note": self.note(),
        }
        return {name: value for name, value in item.items() if value}

    def meta_tags(self):
        """[(name, content), …] for `<meta name=… content=…>`: Highwire Press tags, which
        Zotero's and Google Scholar's translators read from a page."""
        tags = [
            ("citation_title", self.title),
            ("citation_author", CATALOGUE),
            ("citation_publisher", CATALOGUE),
            ("citation_date", self.updated.strftime("%Y/%m/%d")),
            ("citation_public_url", self.url),
            ("citation_abstract", self.summary),
            *(("citation_keywords", keyword) for keyword in self.keywords),
        ]
        return [(name, value) for name, value in tags if value]


def in_citation_order(citations):
    """A case's citations, as Citation's ordering gives them (by source, then position), with
    ties (two passages at one position) broken by location, so every format lists them alike."""
    citations = list(citations)
    source_order = {}
    for citation in citations:
        source_order.setdefault(citation.source_id, len(source_order))
    return sorted(citations, key=lambda c: (source_order[c.source_id], c.position, c.location))


class ReferenceLookup:
    """What `Reference.from_row` needs besides the row, read once per download: the display
    names of the sectors and technologies, the sources, and the address of a case."""

    def __init__(self, request):
        self.sector_names = {sector.pk: sector.display_name for sector in Sector.objects.all()}
        self.technology_names = {
            technology.pk: technology.display_name for technology in Technology.objects.all()
        }
        sources = list(Source.objects.all())  # in Source's order, as a case's citations sort
        self.source_order = {source.pk: index for index, source in enumerate(sources)}
        self.source_by_pk = {source.pk: source for source in sources}
        self.url_template = self.url_template_for(request)

    @staticmethod
    def url_template_for(request):
        """The absolute address of a case with `{}` for its slug: one reverse() per download
        rather than one a row."""
        placeholder = "--slug--"
        return request.build_absolute_uri(Initiative(slug=placeholder).get_absolute_url()).replace(
            placeholder, "{}"
        )

    def url_of(self, slug):
        return self.url_template.format(slug)

    def sectors(self, ids):
        return self._names(self.sector_names, ids)

    def technologies(self, ids):
        return self._names(self.technology_names, ids)

    @staticmethod
    def _names(names, ids):
        chosen = {int(pk) for pk in ids.split(",")} if ids else set()
        return [name for pk, name in names.items() if pk in chosen]  # in the vocabulary's order

    def sources(self, citations):
        """SourceReferences of `source US position US location` strings joined by RS, in the
        order of the case's citations (by source, then position)."""
        if not citations:
            return []
        parsed = []
        for citation in citations.split(RECORD_SEPARATOR):
            source_id, position, location = citation.split(UNIT_SEPARATOR, 2)
            source = self.source_by_pk[int(source_id)]
            parsed.append((self.source_order[source.pk], int(position), source, location))
        return [
            SourceReference(
                title=in_interface_language(source, "title"),
                publisher=source.publisher,
                year=source.published_on.year if source.published_on else None,
                location=location,
                url=source.url,
            )
            # By source (in Source's order), position, then location, as in_citation_order().
            for _, _, source, location in sorted(parsed, key=lambda item: (*item[:2], item[3]))
        ]


FORMATS = {
    # name in the URL: (method, media type, file extension)
    "bibtex": ("bibtex", "application/x-bibtex", "bib"),
    "ris": ("ris", "application/x-research-info-systems", "ris"),
    "csl-json": ("csl", "application/vnd.citationstyles.csl+json", "json"),
}


# The characters LaTeX treats specially, as BibTeX values must write them.
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# Found by a regular expression, not str.translate(): on text with any non-ASCII character (an
# accent, a dash, Chinese) translate() looks every character up in a dict, ~115 µs for a
# 600-character abstract against ~4 µs, which a list's BibTeX of 1,000 cases pays many times.
BIBTEX_SPECIAL = re.compile("[" + re.escape("".join(BIBTEX_ESCAPES)) + "]")


def references_file(references, format, filename):
    """An attachment holding `references` in `format` (a FORMATS name): one case's, a list's
    or a collection's. CSL-JSON is one array of items; the other formats concatenate."""
    method, media_type, extension = FORMATS[format]
    if method == "csl":
        body = json.dumps([reference.csl() for reference in references], ensure_ascii=False, indent=2) + "\n"
    else:
        body = "".join(getattr(reference, method)() for reference in references)
    response = HttpResponse(body, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def bibtex_escape(text):
    """Text as a BibTeX value, on one line, its special characters escaped."""
    return BIBTEX_SPECIAL.sub(lambda special: BIBTEX_ESCAPES[special[0]], " ".join(text.split()))


# --- Linked data ------------------------------------------------------------------------------

# The schema.org vocabulary inline rather than by its URL, so that a JSON-LD processor needs no
# network to read the terms (and the page makes no request to schema.org).
SCHEMA_ORG = {"@vocab": "https://schema.org/"}


def organisation_json_ld(organisation, request):
    node = {
        "@type": "Organization",
        "@id": request.build_absolute_uri(organisation.get_absolute_url()),
        "name": organisation.display_name,
        "url": organisation.website or request.build_absolute_uri(organisation.get_absolute_url()),
    }
    if organisation.country:
        node["address"] = {"@type": "PostalAddress", "addressCountry": organisation.country.code}
    return node


def source_json_ld(source, request):
    node = {
        "@type": "CreativeWork",
        "@id": request.build_absolute_uri(source.get_absolute_url()),
        "name": source.display_name,
    }
    if source.publisher:
        node["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published_on:
        node["datePublished"] = source.published_on.isoformat()
    if source.url:
        node["url"] = source.url
    return node


def case_json_ld(initiative, request):
    """schema.org JSON-LD of a case page: the case, its organisations and its sources."""
    url = request.build_absolute_uri(initiative.get_absolute_url())
    case = {
        "@context": SCHEMA_ORG,
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": initiative.display_title,
        "description": initiative.display_summary,
        "genre": "case study",
        "dateModified": initiative.updated_at.isoformat(),
        "isPartOf": {"@type": "Dataset", "name": CATALOGUE, "url": request.build_absolute_uri("/")},
        "keywords": [
            *(sector.display_name for sector in initiative.sectors.all()),
            *(technology.display_name for technology in initiative.technologies.all()),
        ],
        "spatialCoverage": [{"@type": "Country", "name": country.name} for country in initiative.countries],
        "citation": [source_json_ld(citation.source, request) for citation in initiative.citations.all()],
    }
    if initiative.published_at:
        case["datePublished"] = initiative.published_at.isoformat()
    if initiative.lead_organisation:
        case["creator"] = organisation_json_ld(initiative.lead_organisation, request)
    partners = [organisation_json_ld(partner, request) for partner in initiative.partners.all()]
    if partners:
        case["contributor"] = partners
    if initiative.start_year:
        case["temporalCoverage"] = f"{initiative.start_year}/.."
    return case
