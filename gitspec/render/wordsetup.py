"""A new Word document's set-up and its saving: the styles gitspec adds, page size, settings, core
properties, and byte-stable .docx files.

Operates on the python-docx Document handed in; imports python-docx only inside functions.
"""
from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import Any

from gitspec.render.properties import w3cdtf
from gitspec.render.wordxml import AFTER_PPR_SHD, clean, element

MONOSPACE = "Consolas"  # Word's monospace; LibreOffice substitutes its own
TABLE_STYLES = ("Light Grid Accent 1", "Table Grid")
PAGE_SIZES_MM = {"A4": (210, 297, 25), "LETTER": (215.9, 279.4, 25.4)}  # width, height, margin
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_EAST_ASIAN = {"zh", "ja", "ko", "yue", "cmn", "wuu", "hak", "nan"}  # Word's eastAsia text: Chinese, Japanese, Korean
_RIGHT_TO_LEFT = {"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "dv", "ckb", "syr", "iw"}  # its bidi text
CODE_PT = 9  # code's size: a code block's, and a code span's or link's in running text
PROPERTY_CHARS = 255  # python-docx refuses a longer core property
# Schema order matters to Word: the siblings that must follow `w:updateFields` in the settings.
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars",
                        "w:rsids", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
                        "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
                        "w:readModeInkLockDown", "w:smartTagType", "w:shapeDefaults",
                        "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")


def add_styles(document: Any) -> None:
    """The styles gitspec uses that the default template lacks: Code (paragraph), Code Char,
    Hyperlink, Code Hyperlink and Badge (character), toc 1-3 (the TOC's entries)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    code = styles.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    code.base_style, code.quick_style = styles["Normal"], True
    code.font.name, code.font.size = MONOSPACE, Pt(CODE_PT)
    code.paragraph_format.space_before, code.paragraph_format.space_after = Pt(2), Pt(6)
    code.paragraph_format.keep_together = True
    code.element.get_or_add_pPr().insert_element_before(
        element("w:shd", val="clear", color="auto", fill="F3F3F3"), *AFTER_PPR_SHD)
    code_char = styles.add_style("Code Char", WD_STYLE_TYPE.CHARACTER)
    code_char.font.name, code_char.font.size = MONOSPACE, Pt(CODE_PT)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.font.color.rgb, link.font.underline = RGBColor(0x05, 0x63, 0xC1), True
    code_link = styles.add_style("Code Hyperlink", WD_STYLE_TYPE.CHARACTER)  # a link to code: [`sync`](url)
    code_link.base_style, code_link.font.name, code_link.font.size = link, MONOSPACE, Pt(CODE_PT)
    badge = styles.add_style("Badge", WD_STYLE_TYPE.CHARACTER)  # "[stale]": a status, as the PDF's badge
    badge.font.bold = True
    for mono in (code, code_char, code_link):
        mono.element.rPr.get_or_add_rFonts().set(qn("w:cs"), MONOSPACE)
    for level in (1, 2, 3):  # Word's built-in "toc N" styles, which the default template lacks
        toc = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        toc.base_style, toc.priority = styles["Normal"], 39
        toc.paragraph_format.left_indent = Pt(11 * (level - 1))
        toc.paragraph_format.space_after = Pt(3)


def default_language(document: Any, language: str) -> None:
    """The language Word takes the text to be in (its spelling and grammar checks, hyphenation, the
    East Asian or right-to-left fonts), BCP 47's `language`: the Chinese, Japanese or Korean text's
    (`eastAsia`) or the right-to-left text's (`bidi`) when it is one of those, the Latin letters'
    (`val`) otherwise. As Word sets itself up for Japanese, say, the Latin letters of a Japanese
    document stay English (its template's), not Japanese, which would leave them unchecked."""
    from docx.oxml.ns import qn

    lang = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
        qn("w:lang"))
    primary = language.split("-")[0].lower()
    if primary in _EAST_ASIAN:
        lang.set(qn("w:eastAsia"), language)
    elif primary in _RIGHT_TO_LEFT:
        lang.set(qn("w:bidi"), language)
    else:
        lang.set(qn("w:val"), language)


def page_setup(document: Any, page_size: str) -> None:
    """Page size and margins: "A4" (210 × 297 mm) or "Letter" (8.5 × 11 in); unknown means A4."""
    from docx.shared import Mm

    width, height, margin = PAGE_SIZES_MM.get(page_size.upper(), PAGE_SIZES_MM["A4"])
    for section in document.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.left_margin = section.right_margin = Mm(margin)
        section.top_margin = section.bottom_margin = Mm(margin)


def drop_thumbnail(document: Any) -> None:
    """Remove the template's preview image, which shows somebody else's page in file browsers."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.THUMBNAIL]:
        del rels[rid]


def update_fields_on_open(document: Any) -> None:
    """Ask Word to fill the TOC (and page numbers) when the file is opened."""
    from docx.oxml.ns import qn

    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        settings.insert_element_before(element("w:updateFields", val="true"), *_AFTER_UPDATE_FIELDS)


def core_properties(document: Any, *, title: str, author: str, subject: str, keywords: str,
                    revision: int, version: str, identifier: str, comments: str, status: str,
                    created: datetime | None, modified: datetime | None) -> None:
    """Core properties. Dates are stored in UTC; None removes both, so the template's own 2013 stamp
    never appears and the bytes never depend on the clock."""
    props = document.core_properties
    core = document.part.package.core_properties._element  # no public way to drop a date, nor to write one
    title, author, subject = _property(title), _property(author), _property(subject)
    props.title, props.author, props.last_modified_by = title, author, author
    props.subject, props.keywords, props.comments = subject, _property(keywords), _property(comments)
    props.revision, props.version, props.identifier = max(int(revision), 1), _property(version), _property(identifier)
    props.content_status, props.category = _property(status), subject
    if created is not None and modified is not None:
        props.created = created.astimezone(timezone.utc).replace(tzinfo=None)
        props.modified = modified.astimezone(timezone.utc).replace(tzinfo=None)
        # python-docx writes them with strftime's %Y, which gives year 1 as "1": not W3CDTF
        core.created.text, core.modified.text = w3cdtf(created), w3cdtf(modified)
    else:
        for child in list(core):
            if child.tag.endswith("}created") or child.tag.endswith("}modified"):
                core.remove(child)


def _property(text: str) -> str:
    """A core property's text: XML-clean, and cut to the 255 characters python-docx allows."""
    text = clean(text)
    return text if len(text) <= PROPERTY_CHARS else text[:PROPERTY_CHARS - 1] + "…"


def stable_bytes(document: Any) -> bytes:
    """The saved .docx with every zip entry dated 1980-01-01, so equal trees give equal bytes."""
    import zipfile

    raw = io.BytesIO()
    document.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_DATE)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(entry, source.read(info))
    return out.getvalue()
