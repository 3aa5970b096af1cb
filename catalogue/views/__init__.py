"""The catalogue's pages: browsing (browse.py) and what a reader takes away (outputs.py)."""

from .browse import (
    AboutView,
    BeneficiaryGroupDetailView,
    HomeView,
    InitiativeDetailView,
    InitiativeListView,
    OrganisationDetailView,
    OrganisationListView,
    RequirementDetailView,
    SectorDetailView,
    SourceDetailView,
    TechnologyDetailView,
    VocabularyDetailView,
    VocabularyIndexView,
)
from .outputs import (
    EvidenceMatrixCSVView,
    EvidenceMatrixView,
    InitiativeListExportView,
    InitiativeReferenceView,
    SourceTextView,
    concept_scheme,
    robots_txt,
)

__all__ = [
    "AboutView",
    "BeneficiaryGroupDetailView",
    "EvidenceMatrixCSVView",
    "EvidenceMatrixView",
    "HomeView",
    "InitiativeDetailView",
    "InitiativeListExportView",
    "InitiativeListView",
    "InitiativeReferenceView",
    "OrganisationDetailView",
    "OrganisationListView",
    "RequirementDetailView",
    "SectorDetailView",
    "SourceDetailView",
    "SourceTextView",
    "TechnologyDetailView",
    "VocabularyDetailView",
    "VocabularyIndexView",
    "concept_scheme",
    "robots_txt",
]
