"""What the browse pages and the downloads share: forgiving pagination, a FilterView bound to
the whole query string, and the links to a list's downloads."""

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from django_filters.views import FilterView

from ..filters import PageNumberField, without_empty_values
from ..models import Initiative
from ..pagination import IdsFirstPaginator


class ForgivingPaginationMixin:
    """A page number out of range shows the nearest page, and says so, instead of a 404.
    (One that is not a whole number is refused by the FilterSet, as the API refuses it.)"""

    paginate_by = 20
    paginator_class = IdsFirstPaginator

    def requested_page(self):
        """`?page=` as given ("1" when absent); the paginator decides what it shows."""
        return self.request.GET.get(self.page_kwarg, "1")

    def requested_slice(self):
        """(offset, limit) of the page asked for, if it is a plausible page number, else None:
        what a query may read ahead of the paginator (the list's facet query, count_facets)."""
        requested = self.requested_page()
        number = int(requested) if requested.isdigit() and len(requested) < 7 else 0
        size = self.get_paginate_by(self.object_list)  # the paginator's own page size
        return ((number - 1) * size, size) if number > 0 else None

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, orphans=self.get_paginate_orphans())
        requested = self.requested_page()
        page = paginator.get_page(requested)
        self.requested_page_missing = requested if requested != str(page.number) else None
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requested_page_missing"] = getattr(self, "requested_page_missing", None)
        return context


class BrowseFilterView(ForgivingPaginationMixin, FilterView):
    """A FilterView whose FilterSet is always bound (no parameters is a valid, empty filter)
    and that answers invalid parameters with a 400 page showing the form's errors.

    The sidebar is a plain GET form, so it sends its empty fields (`?q=&year_min=`); they are
    redirected away, so that permalinks, pagination and sort links never carry them.
    """

    def get(self, request, *args, **kwargs):
        if any("" in values for _, values in request.GET.lists()):
            query = without_empty_values(request.GET)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        return {
            **super().get_filterset_kwargs(filterset_class),
            "data": self.request.GET,
            "door_parameters": {self.page_kwarg: PageNumberField()},
        }

    def render_to_response(self, context, **response_kwargs):
        if not self.filterset.is_valid():
            response_kwargs.setdefault("status", 400)
        return super().render_to_response(context, **response_kwargs)


def parameter_errors_as_text(filterset):
    """A 400 naming each refused parameter, for downloads (which have no page to show it)."""
    lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def list_downloads(query):
    """{format: url}: every initiative `query` (a list's own filter parameters) selects, not
    one page of them: the API's CSV, JSON, BibTeX and RIS, and the Atom feed (newest first)."""
    query = query.copy()
    query.pop("page", None)
    as_csv = query.copy()
    as_csv["format"] = "csv"
    suffix = f"?{query.urlencode()}" if query else ""
    return {
        "csv": f"{reverse('api:initiative-list')}?{as_csv.urlencode()}",
        "bibtex": reverse("catalogue:initiative-export", kwargs={"format": "bibtex"}) + suffix,
        "ris": reverse("catalogue:initiative-export", kwargs={"format": "ris"}) + suffix,
        "json": reverse("catalogue:initiative-export", kwargs={"format": "json"}) + suffix,
        "feed": reverse("catalogue:initiative-feed") + suffix,
    }


def redirect_from_former_slug(request, slug):
    """A 301 to where the published initiative that once answered at `slug` is now (the same
    path otherwise, and the same query string), or None: cited links never break."""
    initiative = Initiative.objects.published().formerly_at(slug)
    if initiative is None:
        return None
    path = request.path.replace(f"/{slug}/", f"/{initiative.slug}/", 1)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


class DetailedCase:
    """For a case's own views: the case as for_detail() loads it (Initiative.objects.detail_at),
    a members-only one too for a reader the members' tier admits; anyone else gets the 404 of a
    case that does not exist."""

    model = Initiative

    def get_object(self, queryset=None):
        try:
            return Initiative.objects.detail_at(self.kwargs["slug"], reader=self.request.user)
        except Initiative.DoesNotExist as error:
            raise Http404(str(error)) from error


class FollowsFormerSlugs:
    """For an initiative's views: its former addresses answer with a 301 to the current one."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            redirect = redirect_from_former_slug(request, kwargs["slug"])
            if redirect is None:
                raise
            return redirect
