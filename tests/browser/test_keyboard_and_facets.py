"""Issue 16 in Chromium at 1280 px: a selected option is visible at the top of its facet, the
keyboard reaches the results through "Skip to the results", and after "Apply filters" focus
(and a screen reader) starts at the new result count."""

QUERY = "/initiatives/?sector=education&technology=speech-recognition"


def test_selected_options_head_their_facet_and_are_in_view(browser_page, shipped_catalogue):
    page = browser_page
    page.goto(QUERY)

    for label in ["Education and training", "Speech recognition"]:
        box = page.get_by_label(label)
        assert box.is_checked()
        first = box.locator("xpath=ancestor::ul[1]/li[1]//input")
        assert first.evaluate("(element, other) => element === other", box.element_handle())
        inside = box.evaluate(
            """element => {
                const list = element.closest("ul").getBoundingClientRect();
                const own = element.getBoundingClientRect();
                return own.top >= list.top && own.bottom <= list.bottom;
            }"""
        )
        assert inside, f"{label} is scrolled out of its facet"


def tab_until(page, predicate, limit=80):
    """Press Tab until `predicate` (JS, given the focused element) holds; the number of stops."""
    for stops in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {predicate})(document.activeElement)"):
            return stops
    raise AssertionError(f"not reached in {limit} Tab stops")


def test_the_keyboard_reaches_the_first_result_through_the_skip_link(browser_page, shipped_catalogue):
    page = browser_page
    page.goto("/initiatives/")

    to_skip_link = tab_until(page, "element.classList.contains('to-results')")
    assert page.evaluate("document.activeElement.getBoundingClientRect().width") > 0  # shown when focused
    page.keyboard.press("Enter")
    to_first_result = tab_until(page, "element.closest('.card-title') !== null")

    assert to_skip_link + to_first_result <= 20, (to_skip_link, to_first_result)


def test_after_applying_filters_focus_is_on_the_result_count(browser_page, shipped_catalogue):
    page = browser_page
    page.goto("/initiatives/")

    page.get_by_label("Education and training").check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/initiatives/?sector=education#results-heading")

    assert page.evaluate("document.activeElement.id") == "results-heading"
