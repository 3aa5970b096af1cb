"""Members-only text never leaks: a permission matrix over every URL of the URLconf and every
operation of the OpenAPI schema × {anonymous, partner, member, former members (expired,
revoked), editor}.

A restricted part and an approved experience report on a published case of the shipped
catalogue, and the title and summary of a whole case restricted to the community (a tool
classified like the others, so that it would show in every list, facet and vocabulary count
if it leaked), each hold a word that no request ever sends (HIDDEN), and a word that every
request searches for (SOUGHT); the restricted case's slug holds one that only its readers may
see. Then, for each persona and each output:

- a hidden word appears only where that persona may read it (the case page for a member of the
  community; that and the editing and moderation pages for an editor), and there it does
  appear, so the test cannot pass by showing nothing;
- searching for the sought word (`?q=`) answers exactly what searching for a word found
  nowhere answers: no record, snippet, facet count or API result is found through
  members-only text;
- no response header (ETag, Last-Modified, Content-Disposition…) holds a hidden word, and
  adding, editing, moderating or deleting members-only content leaves the catalogue's data
  version, the API's ETags and Last-Modified as they were.

The URLs come from walking the URLconf and the API operations from the OpenAPI schema, so a
new page or endpoint is checked without editing this file; one that takes arguments this file
cannot fill fails `test_every_url_is_checked` until ARGUMENTS says how to fill them.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver, reverse
from drf_spectacular.generators import SchemaGenerator

from catalogue import bulk
from catalogue.facets import FACETS
from catalogue.models import Collection, Initiative, Organisation, Publication, Source
from catalogue.references import FORMATS as REFERENCE_FORMATS
from catalogue.revisions import catalogue_version
from catalogue.sitemaps import SITEMAPS
from catalogue.skos import SCHEMES
from catalogue.views.outputs import SKOS_FORMATS, InitiativeListExportView
from hub import cases
from hub.models import ContactMessage, ExperienceReport, Membership, RestrictedPart
from tests import factories

pytestmark = pytest.mark.django_db

CASE = "ai-for-safer-children-global-hub"
SOUGHT = "zebrafinch"
NOWHERE = "yakwhistle"  # found in no record and no members-only text
PART_WORD = "kestrelmoss"
REPORT_WORD = "marmotlantern"
TITLE_WORD = "heronquill"
SUMMARY_WORD = "lynxcompass"
SLUG_WORD = "ospreyvault"
HIDDEN = (PART_WORD, REPORT_WORD, TITLE_WORD, SUMMARY_WORD)
PART_TEXT = f"Ask the {SOUGHT} desk of the national unit for access; ref {PART_WORD}."
REPORT_TEXT = f"The {SOUGHT} triage sorted seized images first ({REPORT_WORD})."
# The whole case restricted to the community: its addresses, as members open them.
RESTRICTED = f"{SLUG_WORD}-triage"
RESTRICTED_PAGE = f"/initiatives/{RESTRICTED}/"
RESTRICTED_CITATIONS = {f"{RESTRICTED_PAGE}cite/{format}/" for format in REFERENCE_FORMATS}

PERSONAS = ["anonymous", "partner", "member", "expired member", "revoked member", "editor"]
# Where each persona may read each hidden word (URL names, or paths for the restricted case's
# own pages); nowhere else, and for the others nowhere at all.
MAY_READ = {
    "member": {
        PART_WORD: {"catalogue:initiative-detail"},
        REPORT_WORD: {"catalogue:initiative-detail"},
        TITLE_WORD: {
            RESTRICTED_PAGE,
            f"{RESTRICTED_PAGE}related/",
            *RESTRICTED_CITATIONS,
            f"/members/cases/{RESTRICTED}/report/",
            "hub:members-only-cases",
        },
        SUMMARY_WORD: {RESTRICTED_PAGE, *RESTRICTED_CITATIONS},
    },
    "editor": {
        PART_WORD: {"catalogue:initiative-detail", "hub:restricted-part-list", "hub:restricted-part-edit"},
        REPORT_WORD: {"catalogue:initiative-detail", "hub:report-moderate"},
        TITLE_WORD: {
            RESTRICTED_PAGE,
            f"{RESTRICTED_PAGE}related/",
            *RESTRICTED_CITATIONS,
            f"/review/restricted/{RESTRICTED}/",
        },
        SUMMARY_WORD: {RESTRICTED_PAGE, *RESTRICTED_CITATIONS},
    },
}
# Who may see the restricted case's slug (in links to it, its access-log entries…): its readers.
SEE_THE_SLUG = {"member", "editor"}
# The admin is for staff only (no persona here is staff: each is sent to sign in); its
# pages are checked for that below, not one by one.
SKIPPED_NAMESPACES = {"admin"}
# Pages that change state on GET would not be a leak check: none today.
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"|"csrfToken": "[^"]*"')
# What shows when a response was made, not what it found: an empty feed is "updated" now.
VOLATILE = re.compile(rb"<updated>[^<]*</updated>")


def walk(resolver, namespace=(), prefix=""):
    """(URL name, route, argument names) of every named pattern of the URLconf."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            yield from walk(pattern, inner, prefix + str(pattern.pattern))
        elif pattern.name:
            name = ":".join((*namespace, pattern.name))
            yield name, prefix + str(pattern.pattern), sorted(pattern.pattern.regex.groupindex)


def every_url_pattern():
    seen = {}
    for name, route, arguments in walk(get_resolver()):
        if name.split(":")[0] not in SKIPPED_NAMESPACES:
            seen.setdefault(name, (route, arguments))
    return seen


# --- The record, its members-only content, and one of everything a URL can point at -------------


@pytest.fixture
def world(shipped_catalogue, community, hub_personas, settings, tmp_path):
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    case = Initiative.objects.published().get(slug=CASE)
    restricted = members_only_case(case, community, hub_personas["editor"])
    part = factories.make_restricted_part(case, community, text=PART_TEXT, written_by=hub_personas["editor"])
    # Written by a peer: the member reads it as a member of the community, not as its author.
    report = factories.make_experience_report(
        case,
        Membership.objects.get(user__email="peer@example.org").user,
        status="approved",
        what_worked=REPORT_TEXT,
    )
    bulk.write_downloads()
    partner = hub_personas["partner"]
    submission = factories.make_submission(partner)
    peer = Membership.objects.get(user__email="peer@example.org")
    message = ContactMessage.objects.create(
        sender=peer.user, recipient=hub_personas["member"], sender_membership=peer, body="Hello."
    )
    collection = Collection.objects.create(owner=partner, name="Mine")
    publication = Publication.objects.order_by("pk").first()
    source = Source.objects.filter(citations__initiative=case).first()
    return {
        "case": case,
        "restricted": restricted,
        "part": part,
        "report": report,
        "submission": submission,
        "membership": Membership.objects.get(user=hub_personas["applicant"]),
        "peer": peer,
        "message": message,
        "collection": collection,
        "organisation": case.lead_organisation or Organisation.objects.first(),
        "publication": publication,
        "source": source,
        "sector": case.sectors.first(),
        "technology": case.technologies.first() or Initiative.objects.first().technologies.first(),
        "beneficiary": case.beneficiary_groups.first()
        or Initiative.objects.filter(beneficiary_groups__isnull=False).first().beneficiary_groups.first(),
        "requirement": case.requirements.first(),
    }


def members_only_case(like, community, editor):
    """A whole case restricted to `community` from its submission (never public), classified
    like the published case `like` and described as a tool."""
    submitter = factories.make_partner("restricted-case-submitter@example.org")
    restricted = factories.make_submission(
        submitter,
        status=Initiative.Status.SUBMITTED,
        slug=RESTRICTED,
        title=f"The {TITLE_WORD} {SOUGHT} triage",
        summary=f"Sorts seized material by {SUMMARY_WORD} risk; {SOUGHT} scoring.",
        lead_organisation=like.lead_organisation,
        countries=["KE"],
        start_year=2024,
        sectors=like.sectors.all(),
        technologies=like.technologies.all(),
        requirements=like.requirements.all(),
        sources=like.sources.all()[:1],
    )
    factories.make_tool_profile(restricted, tasks=["triage"], deployment="on-premises", licence="commercial")
    cases.restrict(restricted, community, editor, "Operational: members only.")
    return restricted


def each(name, values):
    return [{name: value} for value in values]


# How to fill each URL's arguments: one dict of kwargs per URL to check.
ARGUMENTS = {
    "api:initiative-detail": lambda w: [{"slug": w["case"].slug}],
    "api:organisation-detail": lambda w: [{"slug": w["organisation"].slug}],
    "api:sector-detail": lambda w: [{"slug": w["sector"].slug}],
    "api:technology-detail": lambda w: [{"slug": w["technology"].slug}],
    "api:task-detail": lambda w: [{"slug": "triage"}],
    "api:beneficiary-detail": lambda w: [{"slug": w["beneficiary"].slug}],
    "api:requirement-detail": lambda w: [{"number": w["requirement"].number}],
    "api:source-detail": lambda w: [{"slug": w["source"].slug}],
    "api:publication-detail": lambda w: [{"slug": w["publication"].slug}],
    "api:submission-detail": lambda w: [{"pk": w["submission"].pk}],
    "api:submission-comments": lambda w: [{"pk": w["submission"].pk}],
    "api:submission-submit": lambda w: [{"pk": w["submission"].pk}],
    "password_reset_confirm": lambda w: [{"uidb64": "MQ", "token": "set-password"}],
    "accounts:confirm": lambda w: [{"uidb64": "MQ", "token": "not-a-token"}],
    "hub:community-detail": lambda w: [{"slug": w["part"].community.slug}],
    "hub:apply": lambda w: [{"slug": w["part"].community.slug}],
    "hub:membership-review": lambda w: [{"pk": w["membership"].pk}],
    "hub:member-contact": lambda w: [{"pk": w["peer"].pk}],
    "hub:message-reply": lambda w: [{"pk": w["message"].pk}],
    "hub:report-create": lambda w: each("slug", [w["case"].slug, RESTRICTED]),
    "hub:report-moderate": lambda w: [{"pk": w["report"].pk}],
    "hub:restricted-part-list": lambda w: each("slug", [w["case"].slug, RESTRICTED]),
    "hub:case-restriction": lambda w: [{"slug": w["case"].slug}],
    "hub:restricted-part-edit": lambda w: [{"pk": w["part"].pk}],
    "hub:restricted-part-delete": lambda w: [{"pk": w["part"].pk}],
    **{
        f"review:{name}": (lambda w: [{"pk": w["submission"].pk}])
        for name in ("detail", "claim", "duplicate", "release", "edit", "comment")
    },
    **{
        f"submissions:{name}": (lambda w: [{"pk": w["submission"].pk}])
        for name in ("detail", "edit", "submit", "withdraw", "delete")
    },
    "catalogue:initiative-export": lambda w: each("format", InitiativeListExportView.FORMATS),
    "catalogue:initiative-facet": lambda w: each("name", FACETS),
    "catalogue:initiative-detail": lambda w: each("slug", [w["case"].slug, RESTRICTED]),
    "catalogue:initiative-related": lambda w: each("slug", [w["case"].slug, RESTRICTED]),
    "catalogue:initiative-reference": lambda w: [
        {"slug": slug, "format": format}
        for slug in (w["case"].slug, RESTRICTED)
        for format in REFERENCE_FORMATS
    ],
    "catalogue:organisation-detail": lambda w: [{"slug": w["organisation"].slug}],
    "catalogue:publication-detail": lambda w: [{"slug": w["publication"].slug}],
    "catalogue:sector-detail": lambda w: [{"slug": w["sector"].slug}],
    "catalogue:technology-detail": lambda w: [{"slug": w["technology"].slug}],
    "catalogue:task-detail": lambda w: [{"slug": "triage"}],
    "catalogue:beneficiary-detail": lambda w: [{"slug": w["beneficiary"].slug}],
    "catalogue:requirement-detail": lambda w: [{"number": w["requirement"].number}],
    "catalogue:source-detail": lambda w: [{"slug": w["source"].slug}],
    "catalogue:source-text": lambda w: [{"slug": w["source"].slug}],
    "catalogue:collection-detail": lambda w: [{"key": w["collection"].key}],
    "catalogue:collection-download": lambda w: [
        {"key": w["collection"].key, "format": format} for format in REFERENCE_FORMATS
    ],
    "catalogue:concept-scheme": lambda w: [
        {"scheme": scheme, "format": format} for scheme in SCHEMES for format in SKOS_FORMATS
    ],
    "catalogue:download-file": lambda w: each("name", bulk.published_files()),
    "catalogue:sitemap-section": lambda w: each("section", SITEMAPS),
}

# Error pages, which no named URL reaches: a missing case, an unknown API path, bad filters.
ERROR_URLS = [
    "/initiatives/no-such-case/",
    "/api/v1/initiatives/no-such-case/",
    "/api/v2/initiatives/",
    "/initiatives/?sector=no-such-sector",
    "/api/v1/initiatives/?sector=no-such-sector",
    "/initiatives/?page=9999",
    "/api/v1/initiatives/?page=9999",
]


def urls_to_check(world):
    """[(URL name, path)] for every named URL, and the names whose arguments are unknown."""
    checked, unknown = [], []
    for name, (route, arguments) in every_url_pattern().items():
        if not arguments:
            checked.append((name, reverse(name)))
        elif name in ARGUMENTS:
            checked += [(name, reverse(name, kwargs=kwargs)) for kwargs in ARGUMENTS[name](world)]
        else:
            unknown.append(f"{name} ({route})")
    return checked, unknown


def with_query(path, **parameters):
    separator = "&" if "?" in path else "?"
    return path + separator + "&".join(f"{key}={value}" for key, value in parameters.items())


def normalised(response):
    """The body, without what differs from one request to the next (read once: a streamed
    body can be read only once)."""
    if not hasattr(response, "_leak_test_body"):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response._leak_test_body = VOLATILE.sub(b"", CSRF.sub(b"", content))
    return response._leak_test_body


def searched(response):
    """A response with the word searched for (either) in one spelling, to compare two searches."""
    return normalised(response).replace(SOUGHT.encode(), b"\0").replace(NOWHERE.encode(), b"\0")


def leaks_in(response, allowed, persona=None):
    """The hidden words in a response's body or headers that the reader may not read there
    (and the restricted case's slug, for those who may not read it)."""
    body = normalised(response).decode(errors="replace")
    headers = " ".join(f"{name}: {value}" for name, value in response.headers.items())
    # The request's own path, echoed (a sign-in link's `next`), tells nobody anything new.
    path = response.request["PATH_INFO"]
    for echo in (path, quote(path)):
        body, headers = body.replace(echo, ""), headers.replace(echo, "")
    hidden = HIDDEN if persona in SEE_THE_SLUG else (*HIDDEN, SLUG_WORD)
    return [word for word in hidden if word not in allowed and (word in body or word in headers)]


def test_every_url_is_checked(world):
    checked, unknown = urls_to_check(world)

    assert unknown == [], "Add these URLs' arguments to ARGUMENTS in tests/hub/test_leaks.py"
    assert len(checked) > 80


@pytest.mark.parametrize("persona", PERSONAS)
def test_members_only_text_shows_only_where_the_persona_may_read_it(client_for, hub_personas, world, persona):
    client = client_for(hub_personas[persona])
    checked, _ = urls_to_check(world)
    may_read = MAY_READ.get(persona, {})
    leaks, searchable, shown, errors = [], [], set(), []

    for name, path in [*checked, *((None, url) for url in ERROR_URLS)]:
        places = {name, path}
        allowed = {word for word, names in may_read.items() if places & names}
        # The output itself, then searched for the sought word; where that answers otherwise
        # (a search), also searched for a word found nowhere, which it must answer alike.
        plain = client.get(path)
        responses = [plain, client.get(with_query(path, q=SOUGHT))]
        if searched(responses[1]) != searched(plain):
            responses.append(client.get(with_query(path, q=NOWHERE)))
            if searched(responses[1]) != searched(responses[2]):
                searchable.append(path)
        for response in responses:
            if response.status_code >= 500:
                errors.append(f"{response.request['QUERY_STRING']} {path}: {response.status_code}")
            leaks += [
                f"{path} {response.request['QUERY_STRING']}: {leak}"
                for leak in leaks_in(response, allowed, persona)
            ]
        body = normalised(plain).decode(errors="replace")
        shown |= {(word, place) for word in allowed if word in body for place in places & may_read[word]}

    assert errors == []
    assert leaks == []
    assert searchable == [], "searching for a word of members-only text answered differently"
    expected = {(word, name) for word, names in may_read.items() for name in names}
    assert shown == expected  # where the persona may read it, they do


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_api_operation_answers_without_members_only_text(client_for, hub_personas, world, persona):
    """Every operation of the OpenAPI schema, reads and writes, with the CSV form of lists:
    whatever it answers (data, a 400 naming fields, a 403), no hidden word."""
    client = client_for(hub_personas[persona])
    schema = SchemaGenerator().get_schema(request=None, public=True)
    slugs = {
        "initiatives": world["case"].slug,
        "organisations": world["organisation"].slug,
        "sectors": world["sector"].slug,
        "technologies": world["technology"].slug,
        "tasks": "triage",
        "beneficiaries": world["beneficiary"].slug,
        "sources": world["source"].slug,
        "publications": world["publication"].slug,
    }
    values = {
        "pk": world["submission"].pk,
        "id": world["submission"].pk,
        "number": world["requirement"].number,
    }
    checked, operations, leaks, errors, read = 0, 0, [], [], set()

    for template, methods in schema["paths"].items():
        resource = template.removeprefix("/api/v1/").split("/")[0]
        for method, operation in methods.items():
            operations += 1
            # A new resource with slugs fails here (KeyError) until `slugs` names one of its records.
            arguments = {**values, **({"slug": slugs[resource]} if "{slug}" in template else {})}
            path = re.sub(r"\{(\w+)\}", lambda match, arguments=arguments: str(arguments[match[1]]), template)
            parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
            if method == "get":
                paths = [path]
                if "q" in parameters:
                    paths += [with_query(path, q=SOUGHT), with_query(path, q=SOUGHT, format="csv")]
                responses = [client.get(p) for p in paths]
            else:
                send = getattr(client, method)
                responses = [send(path, data=b"{}", content_type="application/json")]
            for response in responses:
                checked += 1
                if response.status_code == 200 and method == "get":
                    read.add(template)
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {path}: {response.status_code}")
                leaks += [f"{method.upper()} {path}: {leak}" for leak in leaks_in(response, set(), persona)]

    # The API is public: a members-only case is not in it, for its readers either.
    restricted = client.get(f"/api/v1/initiatives/{RESTRICTED}/")
    missing = client.get("/api/v1/initiatives/no-such-case/")
    leaks += [f"GET {RESTRICTED}: {leak}" for leak in leaks_in(restricted, set(), persona)]

    assert (restricted.status_code, restricted.json()) == (404, missing.json())
    assert errors == []
    assert leaks == []
    assert checked >= operations > 20
    assert {"/api/v1/initiatives/", "/api/v1/initiatives/{slug}/"} <= read  # real answers were read


@pytest.mark.parametrize("persona", ["anonymous", "partner", "expired member", "revoked member"])
def test_a_members_only_case_answers_others_as_a_case_that_does_not_exist(
    client_for, hub_personas, world, persona
):
    client = client_for(hub_personas[persona])

    for suffix in ("", "related/", "cite/bibtex/"):
        restricted = client.get(f"{RESTRICTED_PAGE}{suffix}")
        missing = client.get(f"/initiatives/no-such-case/{suffix}")

        assert restricted.status_code == missing.status_code == 404
        # the same page, but for its own address (the language switcher's `next`)
        assert normalised(restricted).replace(RESTRICTED.encode(), b"no-such-case") == normalised(missing)
        assert set(restricted.headers) == set(missing.headers)


def test_every_api_path_of_the_schema_is_in_the_urlconf(world):
    """So the URL walk above reads every API endpoint too."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    routes = {route for route, arguments in every_url_pattern().values()}
    api_routes = {
        re.sub(r"\(\?P<\w+>\[\^/\]\+\)", "{}", route).replace("^", "").replace("$", "") for route in routes
    }

    missing = [path for path in schema["paths"] if re.sub(r"\{\w+\}", "{}", path[1:]) not in api_routes]
    assert missing == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_admin_is_closed_to_every_persona(client_for, hub_personas, world, persona):
    client = client_for(hub_personas[persona])

    for path in (
        reverse("admin:index"),
        reverse("admin:hub_restrictedpart_changelist"),
        reverse("admin:hub_restrictedpart_change", args=[world["part"].pk]),
        reverse("admin:hub_experiencereport_change", args=[world["report"].pk]),
    ):
        response = client.get(path)
        assert response.status_code == 302
        assert leaks_in(response, set()) == []


def test_members_only_changes_leave_the_data_version_and_validators_as_they_were(
    client, client_for, hub_personas, world, community
):
    api = f"/api/v1/initiatives/{CASE}/"
    before, stamped = catalogue_version(), world["case"].updated_at
    detail, listing = client.get(api), client.get("/api/v1/initiatives/")

    part = world["part"]
    part.text = f"{PART_TEXT} Changed."
    part.save()
    factories.make_restricted_part(world["case"], community, kind="operational_details", text="Runs offline.")
    pending = factories.make_experience_report(world["case"], hub_personas["member"])
    pending.moderate(hub_personas["editor"], "approve")
    client_for(hub_personas["member"]).get(world["case"].get_absolute_url())  # logs a reading
    RestrictedPart.objects.filter(kind="operational_details").delete()
    ExperienceReport.objects.filter(pk=pending.pk).delete()

    assert catalogue_version() == before
    world["case"].refresh_from_db()
    assert world["case"].updated_at == stamped  # what `?updated_since=` compares
    client.logout()
    after_detail, after_listing = client.get(api), client.get("/api/v1/initiatives/")
    assert after_detail["ETag"] == detail["ETag"]
    assert after_detail["Last-Modified"] == detail["Last-Modified"]
    assert after_listing["ETag"] == listing["ETag"]
    assert client.get(api, HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
