from .accounts import ApiToken
from .collections import Collection, CollectionItem
from .initiatives import (
    Citation,
    FormerSlug,
    Initiative,
    InitiativeQuerySet,
    KeyFigure,
    RequirementAlignment,
)
from .publications import FeaturedInitiative, Publication, PublicationItem, PublicationRole
from .revisions import CatalogueRevision, RemovedInitiative, Version
from .submissions import (
    PartnerProfile,
    ProposedOrganisation,
    StatusChange,
    SubmissionComment,
    SubmissionEdit,
    SubmissionField,
    SubmittedSource,
    other_language_texts,
    submission_fields,
)
from .tasks import WorkerHeartbeat
from .tools import Safeguard, Task, ToolProfile
from .vocabularies import (
    BeneficiaryGroup,
    BilingualNameMixin,
    Organisation,
    Requirement,
    Sector,
    SeededModel,
    Source,
    Technology,
    TextOrigin,
    VocabularyQuerySet,
)

__all__ = [
    "ApiToken",
    "BeneficiaryGroup",
    "BilingualNameMixin",
    "CatalogueRevision",
    "Citation",
    "Collection",
    "CollectionItem",
    "FeaturedInitiative",
    "FormerSlug",
    "Initiative",
    "InitiativeQuerySet",
    "KeyFigure",
    "Organisation",
    "PartnerProfile",
    "ProposedOrganisation",
    "Publication",
    "PublicationItem",
    "PublicationRole",
    "RemovedInitiative",
    "Requirement",
    "RequirementAlignment",
    "Safeguard",
    "Sector",
    "SeededModel",
    "Source",
    "StatusChange",
    "SubmissionComment",
    "SubmissionEdit",
    "SubmissionField",
    "SubmittedSource",
    "Task",
    "Technology",
    "TextOrigin",
    "ToolProfile",
    "Version",
    "VocabularyQuerySet",
    "WorkerHeartbeat",
    "other_language_texts",
    "submission_fields",
]
