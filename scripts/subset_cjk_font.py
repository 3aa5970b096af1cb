"""Make the site's served Chinese font: Noto Sans SC cut down to the Chinese characters the site
shows today (the interface's Chinese catalogue, the templates and the shipped catalogue's
Chinese text), so a reader whose system has no Chinese font still sees no boxes, for ~2% of the
full font's weight. Readers with a Chinese font of their own never load it (the stylesheet's
@font-face lists `local()` fonts first).

Run again when Chinese text is added to the shipped catalogue or the interface:

    python -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools brotli
    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb /tmp/noto-cjk
    /tmp/fontvenv/bin/python scripts/subset_cjk_font.py \
        /tmp/noto-cjk/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

(fontTools is a tool for this script only, not a dependency of the site.) Characters outside
the subset still show in any Chinese font the reader's system has.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

PROJECT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT / "static" / "fonts" / "noto-sans-sc-subset-400.woff2"
SOURCES = [
    *(PROJECT / "locale" / "zh_Hans").rglob("*.po"),
    *(PROJECT / "templates").rglob("*.html"),
    *(PROJECT / "fixtures" / "catalogue").glob("*.json"),
    *(PROJECT / "fixtures" / "dataset").glob("*.json"),
]
# CJK ideographs, their punctuation and full-width forms.
RANGES = [(0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)]


def characters_used():
    text = "".join(path.read_text(encoding="utf-8") for path in SOURCES)
    return sorted({char for char in text if any(low <= ord(char) <= high for low, high in RANGES)})


def simplified_chinese_font(path):
    """The Simplified Chinese face of the Noto Sans CJK collection."""
    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(1) in {"Noto Sans CJK SC", "Noto Sans CJK SC Regular"}:
            return font
    raise SystemExit(f"{path} has no Noto Sans CJK SC face")


def main(source):
    characters = characters_used()
    font = simplified_chinese_font(source)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the copyright and licence notices
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(characters))
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(OUTPUT)
    print(f"{len(characters)} characters, {OUTPUT.stat().st_size // 1024} KiB: {OUTPUT.relative_to(PROJECT)}")


if __name__ == "__main__":
    main(sys.argv[1])
