from django.views.generic import DetailView, TemplateView

from .models import (
    BeneficiaryGroup,
    Initiative,
    Organisation,
    Requirement,
    Sector,
    Source,
    Technology,
)


class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        published = Initiative.objects.published()
        return super().get_context_data(
            initiative_count=published.count(),
            organisation_count=Organisation.objects.count(),
            source_count=Source.objects.count(),
            **kwargs,
        )


class InitiativeDetailView(DetailView):
    queryset = Initiative.objects.for_detail()


class OrganisationDetailView(DetailView):
    model = Organisation


class SectorDetailView(DetailView):
    model = Sector


class TechnologyDetailView(DetailView):
    model = Technology


class BeneficiaryGroupDetailView(DetailView):
    model = BeneficiaryGroup


class RequirementDetailView(DetailView):
    model = Requirement
    slug_field = slug_url_kwarg = "number"


class SourceDetailView(DetailView):
    model = Source
