"""An Atom feed of any list of initiatives: the /initiatives/ filters (the same query string as
the page and the API), newest published first, so a reader can subscribe to "education cases
addressing requirement 8" in a feed reader."""

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .filters import InitiativeFilterSet
from .models import Initiative

FEED_LENGTH = 50


class InitiativeFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        filterset = InitiativeFilterSet(request.GET, queryset=Initiative.objects.published())
        if not filterset.is_valid():
            # The same parameters, and the same messages, as the page and the API refuse.
            lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
            return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")
        self.filterset = filterset
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        if request.GET:
            return _("Casebook: initiatives matching your filters")
        return _("Casebook: initiatives")

    def subtitle(self, request):
        return _("Newest published first.")

    def link(self, request):
        query = request.GET.urlencode()
        return reverse("catalogue:initiative-list") + (f"?{query}" if query else "")

    def feed_url(self, request):
        return request.get_full_path()

    def items(self, request):
        newest_first = self.filterset.qs.order_by("-published_at", "-pk")
        return newest_first.select_related("lead_organisation").prefetch_related("sectors")[:FEED_LENGTH]

    def item_title(self, initiative):
        return initiative.display_title

    def item_description(self, initiative):
        return initiative.display_summary

    def item_pubdate(self, initiative):
        return initiative.published_at

    def item_updateddate(self, initiative):
        return initiative.updated_at

    def item_author_name(self, initiative):
        organisation = initiative.lead_organisation
        return organisation.display_name if organisation else None

    def item_categories(self, initiative):
        return [sector.display_name for sector in initiative.sectors.all()]
