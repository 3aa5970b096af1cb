"""In development mail is printed to the terminal: readable text, so a link copied from it
opens the page (Django's console backend prints quoted-printable, whose soft line breaks
cut a long link in pieces ending in `=`)."""

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.test_settings import manage


def test_development_prints_mail_with_the_readable_console_backend():
    # The test run replaces the mail backend, so the development settings are read in a new process.
    code = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    result = manage("shell", "--no-imports", "-c", code, env={"DEBUG": "true", "EMAIL_BACKEND": "console"})

    assert result.stdout.strip() == "casebook.mail.ReadableConsoleBackend", result.stderr


@pytest.mark.django_db
def test_the_printed_confirmation_link_is_whole_on_one_line_and_opens_the_page(
    client, settings, capsys, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "casebook.mail.ReadableConsoleBackend"}}
    data = {
        "email": "new.partner.with.a.long.address@example.org",
        "first_name": "New",
        "last_name": "Partner",
        "password1": factories.PARTNER_PASSWORD,
        "password2": factories.PARTNER_PASSWORD,
        "organisation": "",
        "proposed_organisation_name": "New Partner Foundation",
        "nickname": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), data)

    printed = capsys.readouterr().out
    assert "quoted-printable" not in printed
    assert "Subject: " in printed and "To: new.partner.with.a.long.address@example.org" in printed
    link = re.search(r"^.*(http://testserver/accounts/confirm/\S+)$", printed, re.MULTILINE).group(1)
    response = client.get(link.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response.context["valid"]
