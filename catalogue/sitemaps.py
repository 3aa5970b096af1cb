"""sitemap.xml: every published case, every vocabulary record in use and every report or event,
for search engines (linked from robots.txt). Split into pages of 5,000 URLs, so it stays small
at any size."""

from django.contrib.sitemaps import Sitemap

from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Publication,
    Requirement,
    Sector,
    Source,
    Task,
    Technology,
)


class InitiativeSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Initiative.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, initiative):
        return initiative.updated_at


class PublicationSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Publication.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, publication):
        return publication.updated_at


class VocabularySitemap(Sitemap):
    limit = 5000

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.filter(self.model.in_use_condition()).order_by("pk")


SITEMAPS = {
    "initiatives": InitiativeSitemap(),
    **{
        model._meta.model_name: VocabularySitemap(model)
        for model in (Requirement, Sector, Technology, Task, BeneficiaryGroup, Organisation, Source)
    },
    "publications": PublicationSitemap(),
}
