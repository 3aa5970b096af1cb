"""The interface in the six UN languages, in a real browser (issue 15): a signed-in partner
switches through every language with the switcher on the initiative list, a case page and the
submission form; Arabic pages are right to left and mirrored at 1280 and 375 px, and axe-core
finds no violations in them; every script is drawn by a real font, none as boxes.
"""

import unicodedata
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from catalogue.management.commands.translation_status import catalogue_path, is_translated, messages, read_po
from tests import factories
from tests.browser.test_accessibility import AXE, cookies_for, report

CASE = "tencent-charity-foundation-snow-leopard-monitoring"
PAGES = {"list": "/initiatives/", "case": f"/initiatives/{CASE}/", "submit": "/submit/"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.fixture
def partner(shipped_catalogue):
    return factories.make_partner("languages@example.org")


def open_signed_in(chromium, live_server, partner, width, language="en"):
    """A tab at `width` px, signed in as `partner` (without the form), reading `language`."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    context.add_cookies(cookies_for(partner, language, live_server))
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def in_language(code, message):
    """What the interface shows for `message` in `code`: the catalogue's entry, or the English
    while the catalogue has none (so this checks the page uses the catalogue, before and after
    the translations land)."""
    with translation.override(code):
        return translation.gettext(message)


def html_lang(code):
    return "zh-Hans" if code == "zh-hans" else code


def switch_to(page, code):
    """Choose `code` in the header's language switcher and send it, as a reader does."""
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator(".language-form button").click()


def test_the_switcher_changes_the_language_of_every_page(chromium, live_server, partner):
    context, page = open_signed_in(chromium, live_server, partner, 1280)
    try:
        for name, path in PAGES.items():
            page.goto(path)
            for code in LANGUAGES:
                switch_to(page, code)

                assert urlsplit(page.url).path == path, name  # the form keeps its ?key=
                html = page.locator("html")
                assert html.get_attribute("lang") == html_lang(code), (name, code)
                assert html.get_attribute("dir") == ("rtl" if code == "ar" else "ltr"), (name, code)
                nav = page.locator(".site-nav a[href='/initiatives/']")
                assert nav.inner_text() == in_language(code, "Initiatives"), (name, code)
                assert page.locator(".language-form button").inner_text() == in_language(code, "Change")
    finally:
        context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def rightmost_in_header(page):
    """Which of the header's parts reaches furthest right: the site's name, its sections or the
    language and account tools."""
    parts = {"brand": ".brand", "nav": ".site-nav", "tools": ".site-tools"}
    edges = {
        name: box(page, selector)["x"] + box(page, selector)["width"] for name, selector in parts.items()
    }
    return max(edges, key=edges.get)


def mirrored(english, arabic, width):
    """Whether `arabic` is `english` reflected about the page's vertical axis (to a pixel or
    two: the widths of translated words differ, the layout's do not)."""
    return abs(arabic["x"] - (width - english["x"] - english["width"])) <= 2


@pytest.mark.parametrize("width", [1280, 375])
def test_arabic_pages_mirror_the_layout(chromium, live_server, partner, screenshot, width):
    context, page = open_signed_in(chromium, live_server, partner, width)
    try:
        page.goto(PAGES["list"])
        page_width = page.evaluate("document.documentElement.clientWidth")
        english = {"brand": box(page, ".brand"), "filters": box(page, ".browse-filters")}
        page.goto(PAGES["case"])
        english["facts"] = box(page, ".case-facts")
        switch_to(page, "ar")

        page.goto(PAGES["list"])
        screenshot(page, f"languages-ar-list-{width}")
        brand, filters = box(page, ".brand"), box(page, ".browse-filters")
        assert rightmost_in_header(page) == "brand"
        assert mirrored(english["brand"], brand, page_width)
        assert mirrored(english["filters"], filters, page_width)
        if width == 1280:  # the filters beside the results, on the right; on a phone above them
            assert filters["x"] > box(page, ".browse-results")["x"]
        page.goto(PAGES["case"])
        screenshot(page, f"languages-ar-case-{width}")
        assert mirrored(english["facts"], box(page, ".case-facts"), page_width)
        page.goto(PAGES["submit"])
        screenshot(page, f"languages-ar-submit-{width}")
        assert rightmost_in_header(page) == "brand"
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_in_arabic(chromium, live_server, partner, subtests, width):
    context, page = open_signed_in(chromium, live_server, partner, width, language="ar")
    try:
        for name, path in PAGES.items():
            with subtests.test(msg=name):
                page.goto(path)
                assert page.locator("html").get_attribute("dir") == "rtl"
                violations = AXE.run(page).response["violations"]
                assert not violations, report(violations)
    finally:
        context.close()


# --- Fonts ----------------------------------------------------------------------------------

SERVED = {"Noto Sans", "Noto Sans Arabic"}
# A reader's own Chinese fonts, preferred to the served subset (static/css/casebook.css); CI
# has WenQuanYi Micro Hei. The subset's own name table says "Noto Sans CJK SC".
CHINESE_FONTS = {
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
}


def script_text(text):
    """The letters, digits and punctuation of `text`, one of each: what a font must draw.
    (Symbols such as arrows and ×, and spaces, come from whatever font the system has.)"""
    return "".join(sorted({char for char in text if unicodedata.category(char)[0] in "LNP"}))


def sample_for(page, code):
    """Every character a reader of `code` may see in the interface: the translations of its
    catalogue, the language's own name, and the text of the list and a case page in it."""
    text = [
        entry_text
        for entry in messages(read_po(catalogue_path(code)))
        if is_translated(entry)
        for entry_text in entry["msgstr"]
    ]
    text.append(dict(settings.LANGUAGES)[code])
    for path in (PAGES["list"], PAGES["case"]):
        page.goto(path)
        text.append(page.locator("body").inner_text())
    return script_text("".join(text))


def fonts_drawing(page, text, lang, font_family=None):
    """{family: glyph count} of the fonts Chromium draws `text` with, in an element with `lang`
    (and `font_family`, if given), once the page's fonts have loaded. Chromium picks, for each
    character, the first font in the list that has it, so a served font here drew real glyphs."""
    page.evaluate(
        """([text, lang, fontFamily]) => {
            const probe = document.createElement("p");
            probe.id = "glyph-probe"; probe.lang = lang; probe.textContent = text;
            if (fontFamily) probe.style.fontFamily = fontFamily;
            document.querySelector("#glyph-probe")?.remove();
            document.body.append(probe);
        }""",
        [text, lang, font_family],
    )
    page.evaluate("document.fonts.ready.then(() => document.body.offsetHeight)")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#glyph-probe"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return {(font["familyName"], font["isCustomFont"]): font["glyphCount"] for font in fonts}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_script_is_drawn_by_a_real_font(chromium, live_server, partner, code):
    context, page = open_signed_in(chromium, live_server, partner, 1280, language=code)
    try:
        text = sample_for(page, code)
        fonts = fonts_drawing(page, text, html_lang(code))

        drawn_by = {family for family, custom in fonts if custom and family in SERVED} | {
            family for family, _custom in fonts if family in CHINESE_FONTS
        }
        assert drawn_by == {family for family, _custom in fonts}, (code, fonts)
        if code == "zh-hans":
            # Without a Chinese font on the system, the served subset still has every character.
            served_only = fonts_drawing(
                page, text, "zh-Hans", '"Noto Sans SC subset", "Noto Sans", "Noto Sans Arabic"'
            )
            missing = {family: count for (family, custom), count in served_only.items() if not custom}
            assert not missing, (
                f"characters not in the subset, drawn by {missing}: run scripts/subset_cjk_font.py"
            )
    finally:
        context.close()


def test_each_script_uses_its_own_served_font(chromium, live_server, partner):
    context, page = open_signed_in(chromium, live_server, partner, 1280)
    try:
        page.goto(PAGES["list"])
        assert set(fonts_drawing(page, "Инициативы", "ru")) == {("Noto Sans", True)}
        assert set(fonts_drawing(page, "المبادرات", "ar")) == {("Noto Sans Arabic", True)}
        assert set(fonts_drawing(page, "Initiatives façonnées", "fr")) == {("Noto Sans", True)}
    finally:
        context.close()


# --- A signed-in partner's pages: the links back, and the header on a phone ---------------------


@pytest.fixture
def submitting_partner(db):
    """A partner with a long address (the header shows it) and a submission."""
    partner = factories.make_partner("amina.odhiambo@reading-buddy.example.org")
    factories.make_submission(partner, title="Reading Buddy")
    return partner


@pytest.mark.parametrize(("code", "arrow"), [("en", "←"), ("ar", "→")], ids=["en", "ar"])
def test_the_link_back_points_to_the_start_of_the_line(
    chromium, live_server, submitting_partner, code, arrow
):
    submission = submitting_partner.submitted_initiatives.get()
    context, page = open_signed_in(chromium, live_server, submitting_partner, 1280, code)
    try:
        page.goto(f"/submissions/{submission.pk}/")

        link = page.locator("a.back-link")
        expect(link).to_have_text(in_language(code, "My submissions"))
        page.wait_for_function(
            "arrow => getComputedStyle(document.querySelector('a.back-link'), '::before').content === arrow",
            arg=f'"{arrow} "',
        )
    finally:
        context.close()


@pytest.mark.parametrize("code", LANGUAGES)
def test_a_signed_in_partners_header_fits_a_phone(
    chromium, live_server, submitting_partner, screenshot, code
):
    context, page = open_signed_in(chromium, live_server, submitting_partner, 375, code)
    try:
        for path in ["/initiatives/", "/submissions/"]:
            page.goto(path)

            expect(page.locator(".account-nav")).to_be_visible()
            page.wait_for_function("() => document.documentElement.scrollWidth <= 375")
            for link in page.locator(".account-nav li").all():
                place = link.bounding_box()
                assert place["x"] >= 0 and place["x"] + place["width"] <= 375, (path, link.inner_text())
        screenshot(page, f"languages-{code}-partner-header-375")
    finally:
        context.close()
