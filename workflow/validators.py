"""Rules a partner submission must meet, shared by the submission form and the API so that
both doors accept and refuse the same input."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SUMMARY_MAX_LENGTH = 3000
MAX_KEY_FIGURES = 10
MAX_REQUIREMENTS = 9
MAX_SOURCES = 10
MAX_SAFEGUARDS = 5

# Only web links: a `javascript:` or `ftp:` link from a partner is never rendered as a link.
validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address starting with https://")
)
validate_summary_length = MaxLengthValidator(SUMMARY_MAX_LENGTH)


EARLIEST_START_YEAR = 1950


def latest_start_year():
    return timezone.now().year + 1


def validate_start_year(year):
    latest = latest_start_year()
    if year is not None and not EARLIEST_START_YEAR <= year <= latest:
        raise ValidationError(
            _("Enter a year between 1950 and %(latest)s."), code="start_year", params={"latest": latest}
        )


def check_distinct_requirements(requirements):
    seen = set()
    for requirement in requirements:
        if requirement in seen:
            raise ValidationError(
                _("“%(requirement)s” is listed twice; give each requirement once."),
                code="duplicate",
                params={"requirement": requirement},
            )
        seen.add(requirement)


def check_source_location(url, reference):
    if not url and not reference:
        raise ValidationError(_("Give the source's URL or a document reference."), code="no_location")
