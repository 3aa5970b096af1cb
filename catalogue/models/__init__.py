from .initiatives import Citation, Initiative, InitiativeQuerySet, KeyFigure, RequirementAlignment
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
    "Requirement",
    "RequirementAlignment",
    "SeededModel",
    "Sector",
    "Source",
    "Technology",
    "VocabularyQuerySet",
]
