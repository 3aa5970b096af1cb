"""Collections: a signed-in reader saves any filtered list as a frozen, citable collection;
anyone with its address reads it and downloads it."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, FormView, ListView

from ..downloads import stream_csv
from ..filters import InitiativeFilterSet, without_empty_values
from ..models import Collection, Initiative
from ..models.collections import CollectionTooLarge
from ..references import FORMATS, references_file


class CollectionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class CollectionCreateView(LoginRequiredMixin, FormView):
    """Save the cases of a /initiatives/ filter (the hidden `query`) as a collection."""

    form_class = CollectionForm
    template_name = "catalogue/collection_form.html"

    def get_initial(self):
        return {"query": self.request.GET.get("query", "")}

    def form_valid(self, form):
        query = without_empty_values(QueryDict(form.cleaned_data["query"].lstrip("?")))
        query.pop("page", None)
        filterset = InitiativeFilterSet(query, queryset=Initiative.objects.published())
        if not filterset.is_valid():
            form.add_error(None, _("The list's filters are not valid; go back to the list and correct them."))
            return self.form_invalid(form)
        try:
            collection = Collection.objects.freeze(
                owner=self.request.user,
                name=form.cleaned_data["name"],
                note=form.cleaned_data["note"],
                initiatives=filterset.qs,
                query=query.urlencode(),
                request=self.request,
            )
        except CollectionTooLarge as too_large:
            form.add_error(
                None,
                ngettext(
                    "This list holds %(count)s case; a collection holds at most %(limit)s. "
                    "Narrow the filters.",
                    "This list holds %(count)s cases; a collection holds at most %(limit)s. "
                    "Narrow the filters.",
                    too_large.count,
                )
                % {"count": too_large.count, "limit": Collection.MAX_ITEMS},
            )
            return self.form_invalid(form)
        return HttpResponseRedirect(collection.get_absolute_url())

    def get_context_data(self, **kwargs):
        query = self.request.POST.get("query") or self.request.GET.get("query", "")
        return super().get_context_data(list_query=query, **kwargs)


class CollectionListView(LoginRequiredMixin, ListView):
    """The signed-in reader's own collections."""

    template_name = "catalogue/collection_list.html"
    context_object_name = "collections"
    paginate_by = 50

    def get_queryset(self):
        return self.request.user.collections.all()


class CollectionDetailView(DetailView):
    """A collection, readable by anyone with its address: its cases as they were when saved,
    each marked if it has changed or been withdrawn since."""

    queryset = Collection.objects.all()
    slug_field = slug_url_kwarg = "key"
    template_name = "catalogue/collection_detail.html"

    def get_context_data(self, **kwargs):
        items = list(self.object.items.select_related("initiative"))
        url = self.request.build_absolute_uri(self.object.get_absolute_url())
        citation = ngettext(
            "%(name)s [a collection of %(count)s case, saved %(date)s]. Casebook. %(url)s",
            "%(name)s [a collection of %(count)s cases, saved %(date)s]. Casebook. %(url)s",
            len(items),
        ) % {
            "name": self.object.name,
            "count": len(items),
            "date": self.object.created_at.date().isoformat(),
            "url": url,
        }
        return super().get_context_data(
            entries=[(item, item.reference()) for item in items],
            changed=sum(1 for item in items if item.changed_since),
            citation=citation,
            records_shown=items,  # for base.html's notice of cases shown in English
            **kwargs,
        )


class CollectionDownloadView(DetailView):
    """A collection's frozen references as BibTeX, RIS, CSL-JSON or CSV."""

    queryset = Collection.objects.all()
    slug_field = slug_url_kwarg = "key"
    CSV_COLUMNS = ["slug", "title", "url", "updated", "lead_organisation", "keywords", "sources"]

    def render_to_response(self, context, **response_kwargs):
        format = self.kwargs["format"]
        references = [item.reference() for item in self.object.items.all()]
        filename = f"casebook-collection-{self.object.key}"
        if format == "csv":
            rows = (
                [
                    r.key.removeprefix("casebook-"),
                    r.title,
                    r.url,
                    r.updated.isoformat(),
                    r.lead_organisation,
                    "; ".join(r.keywords),
                    "; ".join(source.text() for source in r.sources),
                ]
                for r in references
            )
            return stream_csv(self.CSV_COLUMNS, rows, filename=f"{filename}.csv")
        if format not in FORMATS:
            raise Http404
        return references_file(references, format, filename)
