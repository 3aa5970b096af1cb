"""A partner gives the title and summary in any of the six languages and says which is the
original (issue 15): through the form and the API, stored as the partner's words in each
language with the original named, and listed so on the review page."""

import re

import pytest
from django.urls import reverse

from catalogue.languages import original_language
from catalogue.models import Initiative, TextOrigin
from tests import factories
from workflow.transitions import changes_since_last_review, publish, request_changes, submit

pytestmark = pytest.mark.django_db

FRENCH = {
    "title_fr": "Compagnon de lecture pour les écoles rurales",
    "summary_fr": "Un tuteur à reconnaissance vocale qui écoute les enfants lire à voix haute.",
}


@pytest.fixture
def partner_client(client, partner_a):
    client.force_login(partner_a)
    return client


def create(client, data):
    return client.post(reverse("submissions:create"), data)


# The form


def test_the_form_asks_for_the_title_and_summary_in_each_language_typed_in_that_language(partner_client):
    html = partner_client.get(reverse("submissions:create"), follow=True).content.decode()

    for name, lang in [("zh", "zh-Hans"), ("ar", "ar"), ("fr", "fr"), ("ru", "ru"), ("es", "es")]:
        assert re.search(rf'<input[^>]*name="title_{name}"[^>]*lang="{lang}"', html) or re.search(
            rf'<input[^>]*lang="{lang}"[^>]*name="title_{name}"', html
        ), name
        assert re.search(rf'<textarea[^>]*name="summary_{name}"', html), name
    assert '<label for="id_title_fr">Title (Français):</label>' in html
    # which one is the original: each language named in its own, English chosen to begin with
    assert re.search(r'<input type="radio" name="original_language" value="en"[^>]*checked', html)
    assert '<span lang="ar">العربية</span>' in html
    assert '<details class="in-other-languages">' in html  # closed while nothing is given


def test_a_partner_writes_in_french_first_and_gives_english_as_their_translation(
    partner_client, submission_post
):
    response = create(partner_client, submission_post(original_language="fr", **FRENCH))

    assert response.status_code == 302
    initiative = Initiative.objects.get()
    assert initiative.title_fr == FRENCH["title_fr"]
    assert initiative.summary_fr == FRENCH["summary_fr"]
    assert initiative.title_en == "Reading Buddy for rural schools"
    assert initiative.text_origins == {"fr": TextOrigin.PARTNER, "original": "fr"}


def test_every_language_given_is_recorded_as_the_partners_words(partner_client, submission_post):
    create(
        partner_client,
        submission_post(
            title_zh="农村学校阅读伙伴",
            summary_zh="听孩子朗读的语音辅导。",
            summary_es="Un tutor de lectura.",
        ),
    )

    assert Initiative.objects.get().text_origins == {"zh-hans": "partner", "es": "partner", "original": "en"}


def test_an_original_language_without_its_text_is_refused_with_a_message(partner_client, submission_post):
    response = create(partner_client, submission_post(original_language="ru", **FRENCH))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the title and summary in Русский too, or choose the language you wrote first." in html
    assert '<details class="in-other-languages" open>' in html
    assert not Initiative.objects.exists()


def test_editing_a_draft_shows_the_languages_given_and_the_original(partner_client, partner_a):
    draft = factories.make_submission(
        partner_a, **FRENCH, text_origins={"fr": TextOrigin.PARTNER, "original": "fr"}
    )

    html = partner_client.get(reverse("submissions:edit", args=[draft.pk])).content.decode()

    assert f'value="{FRENCH["title_fr"]}"' in html
    assert re.search(r'<input type="radio" name="original_language" value="fr"[^>]*checked', html)
    assert '<details class="in-other-languages" open>' in html


def test_a_partners_save_keeps_the_origin_of_a_translation_they_left_as_it_was(
    partner_client, partner_a, editor, submission_post
):
    create(partner_client, submission_post(**FRENCH, title_es="Compañero", summary_es="Lee con los niños."))
    initiative = Initiative.objects.get()
    submit(initiative, partner_a)
    # the editors wrote the French themselves before sending it back
    Initiative.objects.filter(pk=initiative.pk).update(
        text_origins={**initiative.text_origins, "fr": TextOrigin.EDITORIAL}
    )
    request_changes(initiative, editor, "Say where it runs.")

    response = partner_client.post(
        reverse("submissions:edit", args=[initiative.pk]),
        submission_post(**FRENCH, title_es="Compañero de lectura", summary_es="Lee con los niños."),
    )

    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.text_origins == {"fr": "editorial", "es": "partner", "original": "en"}


def test_a_translation_the_partner_changes_becomes_theirs(partner_client, partner_a, submission_post):
    create(partner_client, submission_post(**FRENCH))
    initiative = Initiative.objects.get()
    initiative.text_origins = {"fr": TextOrigin.EDITORIAL, "original": "en"}
    initiative.save()

    partner_client.post(
        reverse("submissions:edit", args=[initiative.pk]),
        submission_post(**{**FRENCH, "summary_fr": "Un tuteur qui écoute lire."}),
    )

    initiative.refresh_from_db()
    assert initiative.text_origins == {"fr": "partner", "original": "en"}


# The review page


def test_the_review_page_lists_every_language_given_and_marks_the_original(client, partner_a, editor):
    submission = factories.make_submission(
        partner_a,
        status=Initiative.Status.SUBMITTED,
        title="Reading Buddy",
        summary="Reads with children.",
        **FRENCH,
        title_es="Compañero de lectura",
        summary_es="Lee con los niños.",
        text_origins={"fr": "partner", "es": "partner", "original": "fr"},
    )
    client.force_login(editor)

    html = client.get(reverse("review:detail", args=[submission.pk])).content.decode()

    assert '<h2 lang="en">Reading Buddy</h2>' in html
    assert 'Original language: <span lang="fr">Français</span>' in html
    assert '<dt><span lang="fr">Français</span> (original)</dt>' in html
    assert '<dt><span lang="es">Español</span> (the partner\'s translation)</dt>' in html
    assert '<dd lang="es" dir="auto"><p><strong>Compañero de lectura</strong></p>' in html


def test_a_french_text_changed_after_a_review_is_listed_as_a_change(partner_a, editor):
    submission = factories.make_submission(partner_a, status=Initiative.Status.SUBMITTED, **FRENCH)
    request_changes(submission, editor, "Say more.")
    submission.title_fr = "Compagnon de lecture"
    submission.save()

    changes = {str(label): (before, after) for label, before, after in changes_since_last_review(submission)}

    assert changes["Title (Français)"] == (FRENCH["title_fr"], "Compagnon de lecture")


def test_beside_the_english_a_case_shows_the_language_the_partner_wrote_first(make_initiative):
    case = make_initiative(
        title_es="Compañero",
        title_fr="Compagnon",
        text_origins={"es": "partner", "fr": "partner", "original": "fr"},
    )

    assert original_language(case, "title") == "fr"  # not Spanish, the first in the list


# The API


def test_the_api_takes_the_other_languages_and_the_original(api_client_for, partner_a, api_payload):
    payload = api_payload(
        translations={
            "fr": {"title": "Chatbot de clinique", "summary": "Répond aux adolescents."},
            "ar": {"title": "روبوت"},
        },
        original_language="fr",
    )

    response = api_client_for(partner_a).post("/api/v1/submissions/", payload, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["translations"] == {
        "ar": {"title": "روبوت", "summary": ""},
        "fr": {"title": "Chatbot de clinique", "summary": "Répond aux adolescents."},
    }
    assert body["original_language"] == "fr"
    initiative = Initiative.objects.get()
    assert initiative.text_origins == {"ar": "partner", "fr": "partner", "original": "fr"}


def test_the_api_reads_chinese_given_either_way_as_the_same_text(api_client_for, partner_a, api_payload):
    payload = api_payload(
        translations={"zh-hans": {"title": "诊所聊天机器人", "summary": "回答青少年的问题。"}}
    )

    body = api_client_for(partner_a).post("/api/v1/submissions/", payload, format="json").json()

    assert (body["title_zh"], body["summary_zh"]) == ("诊所聊天机器人", "回答青少年的问题。")
    assert body["translations"]["zh-hans"]["title"] == "诊所聊天机器人"
    assert body["original_language"] == "en"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"translations": {"de": {"title": "Klinik"}}}, "translations"),
        ({"translations": {"fr": {"title": 3}}}, "translations"),
        ({"translations": ["fr"]}, "translations"),
        ({"title_zh": "诊所", "translations": {"zh-hans": {"title": "另一个"}}}, "translations"),
        ({"original_language": "ru"}, "original_language"),
        ({"original_language": "klingon"}, "original_language"),
    ],
)
def test_wrong_languages_are_a_400_naming_the_field(api_client_for, partner_a, api_payload, overrides, field):
    response = api_client_for(partner_a).post("/api/v1/submissions/", api_payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Initiative.objects.exists()


def test_a_partners_french_original_is_published_as_the_partners(
    api_client_for, partner_a, api_payload, editor, client
):
    payload = api_payload(
        translations={"fr": {"title": "Chatbot de clinique", "summary": "Répond aux adolescents."}},
        original_language="fr",
    )
    api_client_for(partner_a).post("/api/v1/submissions/", payload, format="json")
    submission = Initiative.objects.get()
    submit(submission, partner_a)
    publish(submission, editor, "")

    row = client.get(f"/api/v1/initiatives/{submission.slug}/").json()

    assert row["translations"]["fr"] == {
        "title": "Chatbot de clinique",
        "summary": "Répond aux adolescents.",
        "origin": "partner",
    }
