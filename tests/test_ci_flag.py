"""`CI` decides whether a missing Chromium skips the browser tests (locally) or fails them (in
CI); only a value that says yes counts, so `CI=false` or `CI=0` is a local run."""

import pytest

from tests.browser.conftest import running_in_ci


@pytest.mark.parametrize("value", ["true", "TRUE", "1", "yes", "on"])
def test_a_yes_value_of_ci_means_ci(monkeypatch, value):
    monkeypatch.setenv("CI", value)

    assert running_in_ci()


@pytest.mark.parametrize("value", ["false", "False", "0", "no", "off", ""])
def test_a_no_value_of_ci_means_a_local_run(monkeypatch, value):
    monkeypatch.setenv("CI", value)

    assert not running_in_ci()


def test_no_ci_variable_means_a_local_run(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    assert not running_in_ci()
