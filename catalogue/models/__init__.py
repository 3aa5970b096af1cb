from .initiatives import Citation, Initiative, InitiativeQuerySet, KeyFigure, RequirementAlignment
from .submissions import PartnerProfile, ProposedOrganisation, StatusChange, SubmittedSource
from .vocabularies import (
    BeneficiaryGroup,
    BilingualNameMixin,
    Organisation,
    Requirement,
    Sector,
    SeededModel,
    Source,
    Technology,
    VocabularyQuerySet,
)

__all__ = [
    "BeneficiaryGroup",
    "BilingualNameMixin",
    "Citation",
    "Initiative",
    "InitiativeQuerySet",
    "KeyFigure",
    "Organisation",
    "PartnerProfile",
    "ProposedOrganisation",
    "Requirement",
    "RequirementAlignment",
    "Sector",
    "SeededModel",
    "Source",
    "StatusChange",
    "SubmittedSource",
    "Technology",
    "VocabularyQuerySet",
]
