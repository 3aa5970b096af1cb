"""What a reader takes away: references for reference managers, the evidence matrix, whole
lists as JSON, BibTeX or RIS, a source's text with its quoted passages, the whole catalogue
(/downloads/), the SKOS concept schemes, and robots.txt (the sitemaps are in urls.py)."""

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from .. import bulk, dataset, skos, tasks
from ..downloads import stream_csv
from ..filters import InitiativeFilterSet, without_empty_values
from ..models import Citation, Initiative, PublicationItem, Requirement, RequirementAlignment, Source
from ..passages import Passage, marked_text
from ..references import FORMATS, Reference, ReferenceLookup, references_file
from ..revisions import version_for
from .base import BrowseFilterView, FollowsFormerSlugs, parameter_errors_as_text


class InitiativeReferenceView(FollowsFormerSlugs, DetailView):
    """A case's reference as a file for a reference manager: BibTeX, RIS or CSL-JSON
    (`catalogue/references.py`)."""

    def get_queryset(self):
        return Initiative.objects.for_detail(reader=self.request.user)  # as the case page

    def get(self, request, *args, **kwargs):
        if kwargs["format"] not in FORMATS:
            raise Http404
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        reference = Reference.of(self.object, self.request)
        return references_file([reference], self.kwargs["format"], reference.key)


class EvidenceMatrixView(BrowseFilterView):
    """The evidence matrix: the cases of any /initiatives/ filter (rows) against the nine
    UNICEF requirements (columns); each cell gives the alignment's strength and basis and
    opens its rationale and evidence."""

    queryset = Initiative.objects.for_matrix()
    filterset_class = InitiativeFilterSet
    template_name = "catalogue/matrix.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requirements = list(Requirement.objects.all())
        rows = []
        for initiative in context["object_list"] if self.filterset.is_valid() else []:
            by_requirement = {
                alignment.requirement_id: alignment for alignment in initiative.alignments.all()
            }
            rows.append((initiative, [by_requirement.get(requirement.pk) for requirement in requirements]))
        query = without_empty_values(self.request.GET)
        query.pop("page", None)
        return {
            **context,
            "requirements": requirements,
            "rows": rows,
            "list_query": query.urlencode(),
            "csv_url": reverse("catalogue:matrix-csv") + (f"?{query.urlencode()}" if query else ""),
        }


class EvidenceMatrixCSVView(BrowseFilterView):
    """The evidence matrix of a filter as CSV: every matching case (not one page), a strength
    and a basis column per requirement, streamed."""

    queryset = Initiative.objects.published()
    filterset_class = InitiativeFilterSet

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "door_parameters": {}}

    def paginate_queryset(self, queryset, page_size):
        return None, None, queryset, False  # every record, streamed

    def get_paginate_by(self, queryset):
        return None

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            return parameter_errors_as_text(self.filterset)
        requirements = list(Requirement.objects.values_list("pk", "number"))
        columns = ["slug", "title", "url"]
        for _, number in requirements:
            columns += [f"r{number}_strength", f"r{number}_basis"]
        url_of = ReferenceLookup.url_template_for(self.request)

        def rows():
            initiatives = self.filterset.qs.for_matrix_csv().iterator(chunk_size=2000)
            for slug, title, cells in initiatives:
                by_requirement = dict(cell.split(":", 1) for cell in cells.split(",")) if cells else {}
                row = [slug, title, url_of.format(slug)]
                for pk, _ in requirements:
                    strength, _, basis = by_requirement.get(str(pk), "").partition(":")
                    row += [strength, basis]
                yield row

        return stream_csv(columns, rows(), filename="casebook-evidence-matrix.csv")


class InitiativeListExportView(BrowseFilterView):
    """Every initiative of a list (the /initiatives/ filters), not one page, as one BibTeX or
    RIS file for a reference manager, or as JSON (the records /downloads/ holds), streamed a
    chunk of records at a time."""

    queryset = Initiative.objects.published()
    filterset_class = InitiativeFilterSet
    FORMATS = {"bibtex": FORMATS["bibtex"], "ris": FORMATS["ris"], "json": (None, "application/json", "json")}
    CHUNK = 2000

    def get(self, request, *args, **kwargs):
        if kwargs["format"] not in self.FORMATS:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "door_parameters": {}}

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            return parameter_errors_as_text(self.filterset)
        method, media_type, extension = self.FORMATS[self.kwargs["format"]]
        if method is None:  # JSON: the records /downloads/ holds
            chunks = bulk.json_array(bulk.nested_records(self.filterset.qs))
        else:
            lookup = ReferenceLookup(self.request)
            rows = self.filterset.qs.for_references().iterator(chunk_size=self.CHUNK)
            chunks = (getattr(Reference.from_row(row, lookup), method)() for row in rows)
        response = StreamingHttpResponse(chunks, content_type=f"{media_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="casebook-initiatives.{extension}"'
        return response

    def paginate_queryset(self, queryset, page_size):
        return None, None, queryset, False  # every record, streamed

    def get_paginate_by(self, queryset):
        return None


class SourceTextView(DetailView):
    """A source document's text with every passage the catalogue quotes from it highlighted
    and anchored (`#citation-<id>`, `#alignment-<id>`, a publication's `#item-<id>`), where
    the source's terms allow."""

    queryset = Source.objects.all()
    template_name = "catalogue/source_text.html"

    def get_object(self, queryset=None):
        source = super().get_object(queryset)
        self.text = source.text()
        if self.text is None:
            raise Http404
        return source

    def get_context_data(self, **kwargs):
        source = self.object
        published = Initiative.objects.published()
        citations = (
            Citation.objects.filter(source=source, initiative__in=published)
            .exclude(quote="")
            .select_related("initiative")
        )
        alignments = (
            RequirementAlignment.objects.of_published()
            .filter(initiative__in=published.filter(citations__source=source))
            .exclude(evidence_quote="")
            .select_related("initiative", "requirement")
        )
        items = PublicationItem.objects.filter(source=source).select_related("publication")
        passages = [
            *(Passage(f"citation-{c.pk}", c.quote, c.initiative) for c in citations),
            *(Passage(f"alignment-{a.pk}", a.evidence_quote, a.initiative) for a in alignments),
            # A report's findings: the "initiative" a passage names is then the publication.
            *(Passage(f"item-{i.pk}", i.quote, i.publication) for i in items),
            *(Passage(f"item-{i.pk}-zh", i.quote_zh, i.publication) for i in items if i.quote_zh),
        ]
        html, not_found = marked_text(self.text, passages)
        return super().get_context_data(
            text_html=html,
            passages=sorted((p for p in passages if p.span), key=lambda p: p.span),
            not_found=not_found,
            **kwargs,
        )


SKOS_FORMATS = {"jsonld": ("application/ld+json", skos.as_json_ld), "ttl": ("text/turtle", skos.as_turtle)}


def concept_scheme(request, scheme, format):
    """A vocabulary as a SKOS concept scheme: /vocabularies/<scheme>.<jsonld|ttl>."""
    if scheme not in skos.SCHEMES or format not in SKOS_FORMATS:
        raise Http404
    media_type, write = SKOS_FORMATS[format]
    return HttpResponse(write(scheme, request), content_type=f"{media_type}; charset=utf-8")


class DatasetView(TemplateView):
    """/dataset/: the dataset's editorial releases, the newest first, each with what it added,
    corrected or withdrawn; and how a release relates to the data revision."""

    template_name = "catalogue/dataset.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            releases=dataset.releases(), version=version_for(self.request), licence=bulk.LICENCE, **kwargs
        )


class DownloadsView(TemplateView):
    """/downloads/: the whole published catalogue as files, with their data version and date;
    if they are not written yet (or are behind the data), the worker is asked to write them."""

    template_name = "catalogue/downloads.html"

    def get_context_data(self, **kwargs):
        version = version_for(self.request)
        written = bulk.written_version()
        if written != version.number:
            tasks.regenerate_downloads.enqueue()
        files = []
        if written is not None:
            folder = bulk.downloads_dir()
            for name in bulk.published_files():
                path = folder / name
                if path.exists():
                    files.append((name, path.stat().st_size))
        return super().get_context_data(
            version=version,
            written=written,
            files=files,
            tables=bulk.TABLES,
            licence=bulk.LICENCE,
            dataset_version=dataset.current_version(),
            **kwargs,
        )


def download_file(request, name):
    """One of /downloads/'s files, as written last."""
    if name not in bulk.published_files():
        raise Http404
    path = bulk.downloads_dir() / name
    try:
        file = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = "application/json" if name.endswith(".json") else "text/csv"
    return FileResponse(
        file, as_attachment=name != bulk.DESCRIPTOR, content_type=f"{content_type}; charset=utf-8"
    )


def robots_txt(request):
    """Crawlers may read every page but the accounts, the workflow and the admin, and are
    pointed at the sitemap; query strings (filters, sorts, pages: endless combinations of the
    same cases) are left to the sitemap, which lists every case once."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ROBOTS_DISALLOW),
        "Disallow: /*?",
        "Allow: /sitemap-",  # the sitemap's own pages (`?p=2`): the longer rule wins
        f"Sitemap: {request.build_absolute_uri(reverse('catalogue:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


ROBOTS_DISALLOW = ["/admin/", "/accounts/", "/review/", "/submit/", "/submissions/", "/i18n/"]
