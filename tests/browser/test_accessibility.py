"""axe-core finds no violations on any kind of page a reader, a partner or an editor reaches,
in English and in Chinese, on a phone (375 px) and on a desktop (1280 px).

axe-core comes from the PyPI package axe-playwright-python, which ships axe.min.js: each page is
loaded once per width and language and audited once, with axe's default rules (WCAG 2.x A and
AA, and its best practices).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client, RequestFactory

from catalogue.models import Collection, Initiative
from tests import factories

AXE = Axe()

CASE = "tencent-hearing-aid-audio-algorithms"
SOURCE = "igf-2021-ai-for-children-report-launch"

# name: (who is signed in, path); "{...}" is filled in from the records the test makes.
PAGES = {
    "home": (None, "/"),
    "initiatives": (None, "/initiatives/"),
    "initiatives-filtered": (None, "/initiatives/?sector=education&technology=speech-recognition"),
    "initiatives-search": (None, "/initiatives/?q=hearing"),
    "initiatives-page-2": (None, "/initiatives/?page=2"),
    "case": (None, f"/initiatives/{CASE}/"),
    "organisations": (None, "/organisations/"),
    "organisation": (None, "/organisations/tencent/"),
    "sectors": (None, "/sectors/"),
    "requirements": (None, "/requirements/"),
    "sector": (None, "/sectors/education/"),
    "technology": (None, "/technologies/speech-recognition/"),
    "requirement": (None, "/requirements/4/"),
    "beneficiary-group": (None, "/beneficiaries/children/"),
    "sources": (None, "/sources/"),
    "source": (None, f"/sources/{SOURCE}/"),
    "source-text": (None, f"/sources/{SOURCE}/text/"),
    "publications": (None, "/publications/"),
    "publication": (None, "/publications/wic-ai-for-social-good-action-plan-2023-2025/"),
    "event": (None, "/publications/igf-2021-launch-event-39/"),
    "matrix": (None, "/matrix/"),
    "downloads": (None, "/downloads/"),
    "about": (None, "/about/"),
    "dataset": (None, "/dataset/"),
    "not-found": (None, "/no-such-page/"),
    "login": (None, "/accounts/login/"),
    "signup": (None, "/accounts/signup/"),
    "api-docs": (None, "/api/v1/docs/"),
    # The docs as a developer uses them: operations open, a form to try, the Authorize dialog.
    "api-docs-in-use": (None, "/api/v1/docs/"),
    "collections": ("partner", "/collections/"),
    "collection": ("partner", "/collections/{collection}/"),
    "collection-form": ("partner", "/collections/new/?query=sector%3Deducation"),
    "submit": ("partner", "/submit/"),
    "drafts": ("partner", "/submissions/"),
    "draft": ("partner", "/submissions/{draft}/"),
    "review-queue": ("editor", "/review/"),
    "review": ("editor", "/review/{submitted}/"),
}
LANGUAGES = ["en", "zh-hans"]
WIDTHS = [1280, 375]


@pytest.fixture
def records(shipped_catalogue):
    """A partner with a draft, a submitted case and a collection, and an editor."""
    # The live server's tests start from an emptied database, without the Editors group that a
    # migration makes.
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="review_initiative"))
    partner = factories.make_partner("reader@example.org")
    editor = factories.make_editor("editor@example.org")
    draft = factories.make_submission(partner, title="Reading Buddy", slug="reading-buddy")
    submitted = factories.make_submission(
        partner, status=Initiative.Status.SUBMITTED, title="Story Garden", slug="story-garden"
    )
    collection = Collection.objects.freeze(
        owner=partner,
        name="Education cases",
        note="For the literature review.",
        initiatives=Initiative.objects.published().filter(sectors__slug="education"),
        query="sector=education",
        request=RequestFactory().get("/"),
    )
    return {
        "users": {"partner": partner, "editor": editor},
        "paths": {"draft": draft.pk, "submitted": submitted.pk, "collection": collection.key},
    }


def use_swagger_ui(page):
    page.locator("#operations-initiatives-initiatives_list .opblock-summary-control").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("#operations-submissions-submissions_create .opblock-summary-control").click()
    page.locator("#operations-submissions-submissions_create .opblock-body").wait_for()
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux").wait_for()


def cookies_for(user, language, live_server):
    """The language cookie and, for a user, a session cookie: signed in without the form."""
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        client = Client()
        client.force_login(user)
        name = settings.SESSION_COOKIE_NAME
        cookies.append(
            {"name": name, "value": client.cookies[name].value, "url": live_server.url, "secure": True}
        )
    return cookies


# A violation inside Swagger UI that neither its options nor CSS can fix, on /api/v1/docs/ only.
# Swagger UI renders its operations in a <main id="operations">, inside this page's own <main>;
# static/js/api-docs.js gives it role="region" (one main landmark, as screen readers need), which
# axe's best-practice rule aria-allowed-role flags because HTML allows no role but "main" on <main>.
SWAGGER_UIS_MAIN = ("aria-allowed-role", "#operations")
KNOWN_EXCEPTIONS = {"api-docs": {SWAGGER_UIS_MAIN}, "api-docs-in-use": {SWAGGER_UIS_MAIN}}


def without_known_exceptions(name, violations):
    known = KNOWN_EXCEPTIONS.get(name, set())
    kept = []
    for violation in violations:
        nodes = [node for node in violation["nodes"] if (violation["id"], *node["target"]) not in known]
        if nodes:
            kept.append({**violation, "nodes": nodes})
    return kept


def report(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}" for node in violation["nodes"]
        )
    return "\n".join(lines)


# One test per language and width (the live server empties the database after each test, and
# reloading the catalogue costs seconds); each page is a subtest, loaded and audited once.
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations(chromium, live_server, records, screenshot, subtests, language, width):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    signed_in = object()
    try:
        for name, (who, path) in PAGES.items():
            if name == "api-docs-in-use" and language != "en":
                continue  # Swagger UI and the schema are in English only: the same page.
            with subtests.test(msg=name):
                if who != signed_in:
                    context.clear_cookies()
                    context.add_cookies(cookies_for(records["users"].get(who), language, live_server))
                    signed_in = who
                response = page.goto(path.format(**records["paths"]))
                assert response.status == (404 if name == "not-found" else 200)
                if name.startswith("api-docs"):
                    page.locator(".opblock").first.wait_for()
                if name == "api-docs-in-use":
                    use_swagger_ui(page)
                if name == "api-docs":
                    # A lock on the five submission operations only: reading needs no token.
                    assert page.locator(".opblock .authorization__btn").count() == 6
                    screenshot(page, f"api-docs-{language}-{width}")
                violations = without_known_exceptions(name, AXE.run(page).response["violations"])
                assert not violations, report(violations)
                assert page.locator("html").get_attribute("lang") == ("en" if language == "en" else "zh-Hans")
    finally:
        context.close()
