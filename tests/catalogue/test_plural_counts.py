"""Counts read out with the word in the form the number takes: "1 initiative", "5
initiatives", and in Russian инициатива / инициативы / инициатив. The facet counts' hidden
word said "initiatives" whatever the number, which no language with plural forms can
translate (nor could the admin's "%(count)s published." or the rate limit's message, now
ngettext too)."""

import pytest
from django import forms
from django.utils import translation

from catalogue.facets import FacetOption
from catalogue.templatetags.browse import facet_options


class SectorForm(forms.Form):
    sector = forms.MultipleChoiceField(choices=[("education", "Education")])


def hidden_words(counts, language):
    field = SectorForm()["sector"]
    options = [FacetOption(f"s{n}", f"Sector {n}", n, False) for n in counts]
    with translation.override(language):
        html = facet_options(field, options)
    return [part.split("</span>")[0] for part in html.split('<span class="visually-hidden"> ')[1:]]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["initiative", "initiatives", "initiatives", "initiatives"]),
        ("ru", ["инициатива", "инициативы", "инициатив", "инициатива"]),
        ("fr", ["initiative", "initiatives", "initiatives", "initiatives"]),
    ],
)
def test_a_facet_count_says_initiative_in_the_form_its_number_takes(language, expected):
    assert hidden_words([1, 3, 5, 21], language) == expected
