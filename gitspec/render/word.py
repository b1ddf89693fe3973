"""The Word renderer: one .docx per page and a combined book.docx, through python-docx.

Built-in heading styles (so Word's navigation pane and TOC work), a TOC field,
real hyperlinks, tables, lists, code and diagram pictures. Pure over the render
tree: returns bytes, writes nothing; equal trees give equal bytes.
"""
from __future__ import annotations

from typing import Any

from gitspec.render import wordxml as x
from gitspec.render.model import (
    Badge, Code, Diagram, Footnotes, Heading, Image, Inline, Link, ListBlock, Notice, Page, Paragraph, Quote, Rule,
    Section, Site, Swatches, Table, Text, badges_only, built_pages, document_count, version_label,
)
from gitspec.render.htmlprint import LONG_CODE
from gitspec.render.pagefiles import file_stem
from gitspec.render.printwidths import TEXT_PT
from gitspec.render.properties import Properties, page_properties, site_properties
from gitspec.render.renderer import Assets
from gitspec.render import wordlinks as links
from gitspec.render import wordlists as lists
from gitspec.render import wordnotes as notes
from gitspec.render import wordpictures as pictures
from gitspec.render import wordsetup as setup
from gitspec.render import wordwide as wide
from gitspec.render.wordbidi import mark_right_to_left
from gitspec.render.wordnotes import RULE_COLOUR, TONE_COLOURS
from gitspec.render.wordswatches import swatches

# The TOC lists documents and their sections (Heading 1 and 2), as the PDF's contents and bookmarks
# and the site's contents do; headings inside a section are in Word's navigation pane only.
TOC_LEVELS = 2
# The size (pt) of text in these character styles in a table laid out as the PDF's (the rest: its
# TEXT_PT), before its small print's scale: code as ever, a badge as the PDF's (print.css .badge),
# or its brackets would not fit.
TABLE_SIZES = {"Code Char": setup.CODE_PT, "Code Hyperlink": setup.CODE_PT, "Badge": 7.5}
_BOXED = {"Code"}  # shaded paragraph styles: two in a row get an empty paragraph between them


class WordRenderer:
    """Renderer `docx`: `<page id>.docx` per page, `book.docx` with every page after a title page."""

    name = "docx"
    version = "49"
    page_navigation = False  # a page shows only the ids of the others (in links)

    def page_files(self, site: Site, page: Page, assets: Assets) -> dict[str, bytes]:
        return {f"{file_stem(page.id)}.docx": render_page(site, page, assets)}

    def site_files(self, site: Site, assets: Assets) -> dict[str, bytes]:
        return {"book.docx": render_book(site, assets)}


def render_page(site: Site, page: Page, assets: Assets) -> bytes:
    """One page as a .docx: title, TOC, sections. Links to other pages point at their sibling .docx."""
    writer = DocxWriter(site, assets, inside={page.id})
    changes = _changes(page)
    writer.footer(f"{page.id} · {version_label(page)}")
    writer.page(page, toc=True)
    writer.finish(page_properties(page), title=page.title, identifier=page.id, changes=changes,
                  status=page.status, comments=f"Rendered by gitspec from {page.source or page.id}, "
                                               f"{version_label(page)}.", shown=page)
    return writer.bytes()


def render_book(site: Site, assets: Assets) -> bytes:
    """Every page in reading order after a title page and one TOC; links between pages are internal."""
    writer = DocxWriter(site, assets, inside={p.id for p in site.pages})
    writer.footer(f"{site.title} · {version_label(site)}")
    writer.title_page()
    for page in site.pages:  # each on new pages, in a section whose footer names it, as the PDF's running header
        writer.new_section()
        writer.footer(f"{page.id} · {version_label(site)}")
        writer.page(page, toc=False)
    changes = [change for p in site.pages for change in _changes(p)]
    writer.finish(site_properties(site), title=site.title, identifier=site.commit or "uncommitted",
                  changes=changes, status="",
                  comments=f"Rendered by gitspec: {document_count(site)}, {version_label(site)}.",
                  shown=site)
    return writer.bytes()


def _changes(page: Page) -> list:
    """The commits that last changed the page's sections, and the one that last changed the
    document itself (a change to its header alone, such as its approval, is no section's)."""
    return [s.change for s in page.sections if s.change] + ([page.change] if page.change else [])


class DocxWriter:
    """One document being written. Content goes in as `w:p`/`w:tbl` elements placed before the body's
    final `w:sectPr`: python-docx's own add_paragraph scans the body and looks styles up by name on
    every call, which is quadratic on a page of thousands of items. `inside` holds the ids of the
    pages this document contains, which `doc:` links point into as bookmarks."""

    def __init__(self, site: Site, assets: Assets, inside: set[str]) -> None:
        import docx

        self.site, self.assets, self.inside = site, assets, inside
        self.doc = docx.Document()
        setup.add_styles(self.doc)
        setup.page_setup(self.doc, site.page_size)
        setup.default_language(self.doc, site.language)
        setup.update_fields_on_open(self.doc)
        setup.drop_thumbnail(self.doc)
        styles = self.doc.styles
        self.styles = {s.name: s for s in styles}
        self.sid = {name: style.style_id for name, style in self.styles.items()}
        self.table_style = next(n for n in setup.TABLE_STYLES if n in self.sid)
        self.part = self.doc.part
        self.end = self.body_end = self.doc.element.body.sectPr  # (end: a box's cell while one is written)
        self._rule: Any = None  # the last thematic break's paragraph
        section = self.doc.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.text_height = section.page_height - section.top_margin - section.bottom_margin
        self.page_id = ""
        self.inset = 0  # twips the blocks being written step in: a list item's code, tables... sit under its text
        self._bookmarks = 0
        self.bookmarked: set[str] = set()  # the names of the bookmarks written
        self.jumps: list[tuple[Any, str]] = []  # (w:hyperlink, the bookmark it leads to) of the links within
        self.toc_at: Any = None
        self.outline: list[tuple[int, str, str]] = []  # (level, text, bookmark) of the TOC's headings
        self.lead_in: Any = None  # the headings or list item text just written: a landscape page starts there
        self.landscape_end: Any = None  # the paragraph ending the last landscape section

    def p(self, style: str = "", text: str = "", **run: Any) -> Any:
        """A new `w:p` at the end of the body, in paragraph style `style` (a name), holding `text`."""
        paragraph = x.element("w:p")
        if style:
            paragraph.style = self.sid[style]
            if style in _BOXED and self._follows(paragraph.style):
                self.p()  # Word and LibreOffice draw two shaded paragraphs in a row as one box
        if self.inset and not style.startswith("List "):  # a list's own paragraphs step in as deep as it is
            x.indent(paragraph, self.inset)
        if text:
            paragraph.append(x.run_element(text, **run))
        self.end.addprevious(paragraph)
        return paragraph

    def _follows(self, style_id: str) -> bool:
        """Whether the body's last paragraph is in style `style_id`."""
        return getattr(self.end.getprevious(), "style", None) == style_id  # (a w:tbl has no style)

    def place_table(self, tbl: Any) -> None:
        """Put a `w:tbl` at the end of the body; Word joins two tables with nothing between them into
        one, so a table following another gets an empty paragraph before it."""
        if self.end.getprevious() is not None and self.end.getprevious().tag == tbl.tag:
            self.p()
        self.end.addprevious(tbl)

    # --- Document frame ----------------------------------------------------

    def footer(self, text: str) -> None:
        """The footer of the section being written (the body's last) and those after it: `text` and the
        page number. A section before it keeps its own (its `w:sectPr` holds its own reference to it)."""
        from docx.enum.section import WD_HEADER_FOOTER

        if self.body_end.get_footerReference(WD_HEADER_FOOTER.PRIMARY) is not None:
            self.body_end.remove_footerReference(WD_HEADER_FOOTER.PRIMARY)
        footer = self.doc.sections[-1].footer
        footer.is_linked_to_previous = False  # a new, empty footer of its own
        paragraph = footer.paragraphs[0]._p
        paragraph.append(x.run_element(text + " · page "))
        x.page_number_field(paragraph)

    def new_section(self) -> None:
        """End the section written so far here: what follows starts a new page, in a section of its own
        (with a footer of its own: `footer`). A landscape section just ended has done so already."""
        before = self.body_end.getprevious()
        if before is not None and before is not self.landscape_end:
            self.body_end.addprevious(wide.section_end(self.body_end.clone()))

    def title_page(self) -> None:
        self.p("Title", self.site.title)
        self.p("Subtitle", f"Specification · {version_label(self.site)}")
        documents = ", ".join(page.title for page in self.site.pages if page.source)
        self.p("", f"{document_count(self.site)}: {documents}{built_pages(self.site)}")
        self.toc(new_page=True)

    def toc(self, new_page: bool = False) -> None:
        """The TOC's heading and place; filled in by finish(), when every heading is known."""
        heading = self.p("TOC Heading", "Contents")
        if new_page:
            heading.get_or_add_pPr().get_or_add_pageBreakBefore()
        self.toc_at = self.p()

    def fill_toc(self) -> None:
        if self.toc_at is None:
            return
        entries, after = [], self.toc_at
        for level, text, name in self.outline:
            entry = x.element("w:p")
            entry.style = self.sid[f"toc {level}"]
            x.hyperlink(entry, self.part, text, anchor=name)
            after.addnext(entry)
            entries.append(after := entry)
        x.toc_field(self.toc_at, entries, f"1-{TOC_LEVELS}")

    def finish(self, properties: Properties, *, title: str, identifier: str, changes: list, status: str,
               comments: str, shown: Page | Site) -> None:
        """Core properties: the author, subject, keywords and dates the PDF's metadata has too."""
        links.drop_dead_jumps(self)
        self.fill_toc()
        setup.core_properties(
            self.doc, title=title, author=properties.author, subject=properties.subject,
            keywords=", ".join(properties.keywords), revision=len({c.commit for c in changes}),
            version=shown.commit + ("+dirty" if shown.dirty else "") if shown.commit else "",
            identifier=identifier, comments=comments, status=status,
            created=properties.created, modified=properties.modified)

    def bytes(self) -> bytes:
        mark_right_to_left(self.doc.element.body)
        return setup.stable_bytes(self.doc)

    # --- Pages and sections ------------------------------------------------

    def page(self, page: Page, toc: bool) -> None:
        self.page_id = page.id
        self.heading(page.title, 1, page.id, "")
        owners = f"Owners: {', '.join(page.owners)}" if page.owners else ""
        meta = self.p("", " · ".join(v for v in (page.id, page.kind, owners) if v), italic=True)
        for fact in page.facts:  # a PRD's product: a link to its page
            meta.append(x.run_element(f" · {fact.label}: ", italic=True))
            self.inlines(meta, fact.inlines)
        rest = "".join(f" · {v}" for v in (page.status, page.source) if v)
        meta.append(x.run_element(rest + " ", italic=True))
        self.badges(meta, page.badges)
        if toc:
            self.toc()
        for section in page.sections:
            self.section(section)

    def section(self, section: Section) -> None:
        self.lead_in = None
        self.heading(section.title, 2, self.page_id, section.anchor, section.aliases)
        if section.badges or section.change:
            meta = self.p()
            x.keep_with_next(meta)  # the heading's, as the PDF's (print.css `section > h2 + .change`)
            self.badges(meta, section.badges)
            if section.change:
                c = section.change
                text = f"Last changed in {c.commit[:7]} by {c.author} on {c.date[:10]}"
                meta.append(x.run_element(text + (f": {c.summary}" if c.summary else ""), italic=True))
        for block in section.blocks:
            self.block(block)

    def heading(self, text: str, level: int, page_id: str, anchor: str, aliases: tuple[str, ...] = ()) -> Any:
        """A heading, bookmarked as its anchor and as each of its `aliases`, which links lead to too."""
        level = min(max(level, 1), 9)
        paragraph = self.p(f"Heading {level}", text)
        name = x.bookmark_name(page_id, anchor)
        self.mark(paragraph, name)
        for alias in aliases:
            self.bookmark(paragraph, alias)
        if level <= TOC_LEVELS:
            self.outline.append((level, text, name))
        if self.lead_in is None:
            self.lead_in = paragraph
        return paragraph

    def badges(self, paragraph: Any, badges: tuple[Badge, ...]) -> None:
        for badge in badges:
            paragraph.append(x.run_element(f"[{badge.label}] ", style_id=self.sid["Badge"],
                                           colour=TONE_COLOURS.get(badge.tone, "")))

    # --- Blocks --------------------------------------------------------------

    def block(self, block: Any, depth: int = 0) -> None:
        self.draw(block, depth)
        if not isinstance(block, Heading):
            self.lead_in = None

    def draw(self, block: Any, depth: int) -> None:
        if isinstance(block, Paragraph):
            paragraph = self.p()
            if badges_only(block):  # an item's verdict: kept with its text, as the PDF's (print.css p.badges)
                x.keep_with_next(paragraph)
            self.inlines(paragraph, block.inlines)
        elif isinstance(block, Heading):
            self.heading(block.text, max(block.level, 3), self.page_id, block.anchor, block.aliases)
        elif isinstance(block, Footnotes):
            notes.footnotes(self, block)
        elif isinstance(block, ListBlock):
            lists.list_block(self, block, depth)
        elif isinstance(block, Table):
            wide.table(self, block)
        elif isinstance(block, Code):
            self.code(block.text)
        elif isinstance(block, Diagram):
            pictures.diagram(self, block)
        elif isinstance(block, Image):
            pictures.image(self, block)
        elif isinstance(block, Swatches):
            swatches(self, block)
        elif isinstance(block, (Quote, Notice)):
            with wide.boxed(self, block):
                (notes.quote if isinstance(block, Quote) else notes.notice)(self, block, depth)
        elif isinstance(block, Rule):
            if self._rule is not None and self.end.getprevious() is self._rule:
                self.p()  # two lines drawn under paragraphs in a row are drawn as one
            self._rule = self.p()
            x.bottom_border(self._rule, RULE_COLOUR)
        else:  # a block newer than this renderer: said, as the site says it, rather than dropped unseen
            self.p("", f"Unsupported block: {type(block).__name__}", italic=True)

    def code(self, text: str) -> None:
        """A code block, kept on one page (its style's keepLines) unless longer than LONG_CODE lines, as the
        PDF's (print.css pre.long): a long one kept whole would start a page, leaving the one before empty."""
        paragraph = self.p("Code", text.rstrip("\n"))
        if text.count("\n") >= LONG_CODE:
            x.may_break(paragraph)

    def bookmark(self, paragraph: Any, anchor: str) -> None:
        """Bookmark `w:p` as the page's `anchor`, which links to `doc:PAGE#anchor` lead to."""
        self.mark(paragraph, x.bookmark_name(self.page_id, anchor))

    def mark(self, paragraph: Any, name: str) -> None:
        """Bookmark `w:p` as `name`, which a jump (links.jump) may lead to."""
        self._bookmarks += 1
        self.bookmarked.add(name)
        x.bookmark(paragraph, name, self._bookmarks)

    def table(self, header: tuple[str | tuple[Inline, ...], ...], rows: tuple | list, align: tuple[str, ...] = (),
              widths: list[float] | None = None, scale: float = 1) -> list[list[Any]]:
        """A table, its columns aligned as `align` says (Table.align) and `widths` wide (percent, as
        printwidths measures them, its text then set as the PDF's, `scale` times as big; equal when not
        given), its header's cells text or inlines, bold; returns its body cells (`w:tc`) by row, for
        callers that shade them."""
        columns = max([len(header), *(len(r) for r in rows)]) or 1
        shares = widths or [100 / columns] * columns
        tbl = x.new_table(len(rows) + (1 if header else 0), columns, self.width() // 635,
                          self.sid[self.table_style], bool(header), self.inset, widths)
        self.place_table(tbl)
        trs = [tr.tc_lst for tr in tbl.tr_lst]
        if header:
            for tc, cell, share in zip(trs[0], header, shares):
                if isinstance(cell, str):
                    tc.p_lst[0].append(x.run_element(cell, bold=True))
                else:
                    self.bold_inlines(tc.p_lst[0], cell, int(self.width() * share / 100 * 0.9))
            trs = trs[1:]
        for tr in tbl.tr_lst:
            for tc, how in zip(tr.tc_lst, align):
                x.align(tc.p_lst[0], how)
        for tcs, values in zip(trs, rows):
            for tc, inlines, share in zip(tcs, values, shares):  # a picture: its column's width, less padding
                self.inlines(tc.p_lst[0], inlines, int(self.width() * share / 100 * 0.9))
        if widths:
            self.size_table(tbl, scale)
        return trs

    def size_table(self, tbl: Any, scale: float) -> None:
        """Set a table's text as the PDF's, whose widths it has, `scale` times as big (printwidths'
        small print): Word's 11pt would not fit in them."""
        from docx.oxml.ns import qn

        sizes = {self.sid[name]: points for name, points in TABLE_SIZES.items()}
        for run in tbl.iter(qn("w:r")):
            x.text_size(run, scale * sizes.get(x.run_style(run), TEXT_PT))

    # --- Inlines -------------------------------------------------------------

    def inlines(self, paragraph: Any, inlines: tuple, width: int | None = None, linked: bool = False) -> None:
        """`width`: the most a picture among them may take (EMU), when less than the text's width;
        `linked`: they are a link's label, their text a link's (blue, underlined)."""
        for inline in inlines:
            if isinstance(inline, Text):
                paragraph.append(self.text_run(inline, linked))
            elif isinstance(inline, Link):
                links.link(self, paragraph, inline, width)
            elif isinstance(inline, Badge):
                self.badges(paragraph, (inline,))
            elif isinstance(inline, Image):
                pictures.inline_image(self, paragraph, inline, width)

    def bold_inlines(self, paragraph: Any, inlines: tuple, width: int | None = None) -> None:
        """The inlines as `inlines` writes them, all bold as a table's header cell is: its code,
        links, pictures and footnote marks kept."""
        from docx.oxml.ns import qn
        from docx.text.run import Run

        before = len(list(paragraph.iter(qn("w:r"))))
        self.inlines(paragraph, inlines, width)
        for r in list(paragraph.iter(qn("w:r")))[before:]:
            Run(r, None).bold = True

    def text_run(self, item: Text, linked: bool = False) -> Any:
        """A run in every style of `item` (bold and italic: `***not***`)."""
        styles = item.styles
        code = "code" in styles
        char = ("Code Hyperlink" if code else "Hyperlink") if linked else "Code Char" if code else ""
        return x.run_element(item.text, bold="strong" in styles, italic="em" in styles, strike="strike" in styles,
                             style_id=self.sid[char] if char else "")

    # --- Pictures and colours -------------------------------------------------

    def width(self) -> int:
        """The width (EMU) the blocks being written have: the text's, less their inset."""
        return self.text_width - self.inset * 635
