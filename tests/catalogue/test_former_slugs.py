"""Links never break (issue 16): once published, a case keeps answering at every address it
ever had; the old ones redirect with a 301 to the current one, on the pages and in the API."""

from catalogue.models import FormerSlug, Initiative
from tests import factories
from workflow.transitions import unique_slug


def rename(initiative, slug):
    initiative.slug = slug
    initiative.save()
    return initiative


def test_a_renamed_cases_old_page_redirects_permanently(client, db):
    case = factories.make_initiative(slug="first-name")
    rename(case, "second-name")

    response = client.get("/initiatives/first-name/?from=citation")

    assert response.status_code == 301
    assert response["Location"] == "/initiatives/second-name/?from=citation"
    assert client.get(response["Location"]).status_code == 200


def test_every_former_address_redirects_after_several_renames(client, db):
    case = factories.make_initiative(slug="one")
    rename(case, "two")
    rename(case, "three")

    for old in ("one", "two"):
        response = client.get(f"/initiatives/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/initiatives/three/")


def test_renaming_back_makes_the_address_current_again(client, db):
    case = factories.make_initiative(slug="alpha")
    rename(case, "beta")
    rename(case, "alpha")

    assert client.get("/initiatives/alpha/").status_code == 200
    assert client.get("/initiatives/beta/")["Location"] == "/initiatives/alpha/"
    assert not FormerSlug.objects.filter(slug="alpha").exists()


def test_the_api_and_the_citation_downloads_redirect_too(client, db):
    case = factories.make_initiative(slug="old-api-name")
    rename(case, "new-api-name")

    api = client.get("/api/v1/initiatives/old-api-name/")
    cite = client.get("/initiatives/old-api-name/cite/bibtex/")

    assert (api.status_code, api["Location"]) == (301, "/api/v1/initiatives/new-api-name/")
    assert (cite.status_code, cite["Location"]) == (301, "/initiatives/new-api-name/cite/bibtex/")


def test_an_unpublished_cases_old_address_is_a_404(client, db):
    case = factories.make_initiative(slug="gone-name")
    rename(case, "gone-new")
    case.status = Initiative.Status.ARCHIVED
    case.save()

    assert client.get("/initiatives/gone-name/").status_code == 404
    assert client.get("/api/v1/initiatives/gone-name/").status_code == 404


def test_a_draft_renamed_before_publishing_leaves_no_redirect(client, db):
    draft = factories.make_initiative(slug="draft-name", status=Initiative.Status.DRAFT)
    rename(draft, "draft-renamed")

    assert not FormerSlug.objects.exists()


def test_a_new_case_cannot_take_a_cited_address(db):
    case = factories.make_initiative(slug="cited-title")
    rename(case, "cited-title-renamed")

    assert unique_slug(Initiative, "Cited title") == "cited-title-2"
