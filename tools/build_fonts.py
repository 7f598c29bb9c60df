"""Build the fonts shipped in ``src/yangguang/core/fonts/`` (run by hand, not at install).

The documents need a Chinese font that ReportLab can embed — TrueType outlines (``glyf``),
not the CFF outlines of the OpenType originals — and whose licence a government IT team
accepts. This script takes Noto Serif CJK SC (宋体 style, SIL Open Font License 1.1)
Regular and Bold from Debian's ``fonts-noto-cjk`` package, keeps the characters of
GB 2312, of the 通用规范汉字表 (2013, 8105 characters, Unihan field kTGHZ2013 from
Debian's ``unicode-data``), ASCII, Latin-1, general and CJK punctuation, full-width forms
and every character the project's own sources use, and converts the cubic outlines to
quadratic ones (fontTools cu2qu, as fontTools' otf2ttf snippet does).

Reproduce (fontTools is the ``fonts`` extra of pyproject.toml)::

    apt-get download fonts-noto-cjk unicode-data
    for f in *.deb; do dpkg-deb -x "$f" debs; done
    pip install -e '.[fonts]'
    python tools/build_fonts.py --debs debs

The outputs are deterministic for the same inputs (no timestamps are changed).
"""

import argparse
import bz2
import re
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "yangguang" / "core" / "fonts"
FAMILY = "Noto Serif CJK SC"
WEIGHTS = {"Regular": "NotoSerifCJKsc-Regular.ttf", "Bold": "NotoSerifCJKsc-Bold.ttf"}
# Tolerance of the cubic-to-quadratic conversion, in font units (1000 per em).
MAX_ERR = 1.0
RANGES = [
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation: — ‘ ’ “ ” … ‰
    (0x2100, 0x218F),  # letterlike symbols and number forms: № ℃ Ⅰ–Ⅻ
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics: ① ⑴ ⒈
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes: □ ○ ●
    (0x2605, 0x2606),  # ★ ☆
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〔〕《》「」
    (0x3200, 0x32FF),  # enclosed CJK: ㈠
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width forms: ，：；（）０-９
]


def characters(unihan: Path) -> set[int]:
    wanted: set[int] = set()
    for low, high in RANGES:
        wanted.update(range(low, high + 1))
    # GB 2312: every character the codec can encode in two bytes.
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                wanted.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    # 通用规范汉字表 (2013).
    with bz2.open(unihan / "Unihan_Readings.txt.bz2", "rt", encoding="utf-8") as lines:
        for line in lines:
            if "\tkTGHZ2013\t" in line:
                wanted.add(int(line.split("\t", 1)[0][2:], 16))
    # Whatever the project writes itself (names in the demo, document texts, translations).
    for path in (ROOT / "src").rglob("*"):
        if path.suffix in {".py", ".po", ".html", ".txt", ".csv", ".json", ".md"}:
            text = path.read_text(encoding="utf-8", errors="ignore")
            wanted.update(ord(c) for c in re.findall(r"[\u3000-\u9fff\uff00-\uffef]", text))
    return wanted


def find_face(collection: Path, style: str) -> TTFont:
    number = 0
    while True:
        font = TTFont(collection, fontNumber=number, lazy=False, recalcTimestamp=False)
        name = font["name"]
        if name.getDebugName(1) == FAMILY or name.getDebugName(16) == FAMILY:
            return font
        number += 1


def to_truetype(font: TTFont) -> None:
    """CFF (cubic) outlines to glyf (quadratic), as fontTools' snippets/otf2ttf.py."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = maxp.maxStorage = maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = maxp.maxStackElements = maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max(
        len(g.components if hasattr(g, "components") else []) for g in glyphs.values()
    )
    font["post"].formatType = 3.0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def build(debs: Path) -> None:
    collections = debs / "usr" / "share" / "fonts" / "opentype" / "noto"
    unicodes = characters(debs / "usr" / "share" / "unicode")
    OUT.mkdir(parents=True, exist_ok=True)
    for style, target in WEIGHTS.items():
        font = find_face(collections / f"NotoSerifCJK-{style}.ttc", style)
        options = subset.Options()
        options.layout_features = []
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.hinting = False
        options.notdef_outline = True
        options.glyph_names = False
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        to_truetype(font)
        font.save(OUT / target)
        print(f"{target}: {len(font.getGlyphOrder())} glyphs")  # noqa: T201


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--debs", type=Path, required=True, help="the unpacked .deb files")
    build(parser.parse_args().debs)
