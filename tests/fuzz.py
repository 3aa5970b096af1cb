"""Property-based fuzzing of the site's forms with Hypothesis: every field of a valid post
replaced, some at a time, by arbitrary Unicode, NUL characters, 100,000-character strings,
several values where one is expected, none where one is required, or values of the wrong
kind. Posting any of them must never answer 500.

Bounded and deterministic for CI: a modest number of examples per form (`FORM_FUZZ_EXAMPLES`
raises it for a longer local run), no deadline (a post takes what the database takes), and
derandomised, so a run's examples are the same every time.
"""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ_SETTINGS = settings(
    max_examples=int(os.environ.get("FORM_FUZZ_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    database=None,
    # The test client and the database are the test's fixtures, shared by its examples on
    # purpose: each example is one more request to the same site.
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Values that have broken forms elsewhere, or that a field of the wrong kind receives.
AWKWARD = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 8,
    "%00",
    "None",
    "null",
    "true",
    "on",
    "-1",
    "0",
    "1e309",
    "NaN",
    "99999999999999999999999999",
    "[]",
    "{}",
    "\ufeff",
    "\u202e",
    "😀" * 50,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "javascript:alert(1)",
    "https://",
    "http://[::1",
    "../" * 20,
    "x" * 100_000,
    "字" * 100_000,
]

# One value for a field: awkward, arbitrary Unicode (the test client sends UTF-8, so no lone
# surrogates), or text with a NUL inside.
text_values = st.one_of(
    st.sampled_from(AWKWARD),
    st.text(max_size=300),
    st.builds(lambda before, after: f"{before}\x00{after}", st.text(max_size=20), st.text(max_size=20)),
)
# What a form receives for a field: one value, several (a wrong type for a single field),
# or none at all (the field left out).
MISSING = object()
field_values = st.one_of(
    text_values,
    st.lists(text_values, min_size=2, max_size=3),
    st.just(MISSING),
)


@st.composite
def form_posts(draw, valid):
    """A copy of the `valid` post with some of its fields replaced by `field_values`."""
    data = dict(valid)
    for name in draw(st.sets(st.sampled_from(sorted(valid)), min_size=1)):
        value = draw(field_values)
        if value is MISSING:
            del data[name]
        else:
            data[name] = value
    return data


def assert_answered(response):
    """Any answer but a server error: a form with errors, a redirect, a refusal."""
    assert response.status_code < 500, response.status_code
