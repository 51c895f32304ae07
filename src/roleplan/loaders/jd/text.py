"""HTML and Markdown to plain text: the one place markup is removed before a posting is classified.

Every reducer runs in time linear in its input, whatever the input (postings come from anywhere):

- HTML goes through libxml2's HTML parser (lxml), which is linear on unterminated comments, tags, quotes and
  scripts. Python 3.11's html.parser is not: 50 KB of `<a "` takes over 20 s, `<script ` 7 s (bench/hostile.py).
  libxml2 stops reading at 256 levels of nesting, so a deeper document is refused (`MarkupError`) rather than
  silently cut short.
- Markdown and stray tags/entities are reduced with regexes whose every repetition is bounded or cannot
  cross the delimiter it looks for (tests/hostile/ counts the regex engine's work on adversarial lines).
"""

from __future__ import annotations

import html
import re
from typing import Any


class MarkupError(ValueError):
    """A text that cannot be reduced to plain text (the reader makes it a per-record error)."""


# --- plain text: what is left of markup in a .txt, stdin or a batch record --------------------------------

_HTML_HINT = re.compile(r"<(?:/?(?:p|div|br|li|ul|ol|h[1-6]|span|strong|b|em|i|table|tr|td|section)\b)", re.I)
_ESCAPED_HTML_HINT = re.compile(r"&lt;/?(?:p|div|br|li|ul|ol|h[1-6]|span|strong)\b", re.I)
_ESCAPED_TAG = re.compile(r"&lt;/?(?:p|div|br|li|ul|ol|h[1-6]|strong|b|em|span)\b", re.I)
# a tag-like `<x...>`; the scan stops at the next `<`, so no two starts scan the same text
_STRAY_TAG = re.compile(r"<[/!?a-zA-Z][^<>]{0,2000}>")
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+\d*);")  # each scan stops at the next `&`
_RAW_OPEN = re.compile(r"<(script|style)\b", re.I)
_RAW_CLOSE = {"script": re.compile(r"</script\s*>", re.I), "style": re.compile(r"</style\s*>", re.I)}


def batch_text(text: str) -> str:
    """A batch record's text as the classifier gets it: HTML from an ATS (sometimes entity-escaped), stray
    tags and entities reduced to plain text. The library API uses it too."""
    if "<" not in text and "&" not in text:
        return text
    if _HTML_HINT.search(text):
        return plain_text(html_to_text(text)[0])
    if _ESCAPED_HTML_HINT.search(text):
        return plain_text(html_to_text(html.unescape(text))[0])
    return plain_text(text)


def plain_text(text: str) -> str:
    """Text without stray tags, scripts, styles and entities (a tag becomes a line break)."""
    if "<" not in text and "&" not in text:  # most texts: nothing to do
        return text
    if "&lt;" in text and _ESCAPED_TAG.search(text):  # ATS APIs often return entity-escaped HTML
        text = html.unescape(text)
    if "<" in text and ">" in text:
        if "<script" in text or "<style" in text or "<SCRIPT" in text:
            text = drop_scripts(text)
        text = _STRAY_TAG.sub("\n", text)
    if "&" in text and _ENTITY.search(text):  # "R&D" alone is not worth html.unescape
        text = html.unescape(text)
    return text


def drop_scripts(text: str) -> str:
    """`<script ...>...</script>` and `<style>` blocks replaced by a line break, scanning left to right once.

    A kind whose end tag is missing is never looked for again (a regex `<script.*?</script>` would rescan
    the rest of the text from every `<script`: quadratic on `<script ` repeated).
    """
    out: list[str] = []
    pos = 0
    dead: set[str] = set()
    search = pos
    while len(dead) < 2:
        opened = _RAW_OPEN.search(text, search)
        if opened is None:
            break
        kind = opened.group(1).lower()
        if kind in dead:
            search = opened.end()
            continue
        closed = _RAW_CLOSE[kind].search(text, opened.end())
        if closed is None:
            dead.add(kind)
            search = opened.end()
            continue
        out += (text[pos : opened.start()], "\n")
        pos = search = closed.end()
    out.append(text[pos:])
    return "".join(out)


# --- HTML ----------------------------------------------------------------------------------------------

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "fieldset"),
        *("figcaption", "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "p", "section"),
        *("summary", "table", "tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "noscript", "template", "title", "svg"})
_CELL = frozenset({"td", "th"})
_PARAGRAPHS = frozenset({"p", "ul", "ol", "table", "blockquote", "section", "article", "header", "footer"})
_PARA = "\n\x01\n"  # a paragraph break: one blank line in the text
_CTRL = str.maketrans({"\x00": " ", "\x01": " ", "\r": ""})  # our markers must not come from the page
_WS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " ", "\x00": " ", "\x01": " "})
#: libxml2 stops reading at this depth; a document that reaches it was not read to its end.
MAX_DEPTH = 255


class _Text:
    """Text of an HTML tree: blocks as line breaks, list items as `- `, scripts and styles dropped."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.skip = 0
        self.pre = 0
        self.h1: list[str] | None = None
        self.h1_text: str | None = None

    def start(self, tag: str) -> None:
        parts = self.parts
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            parts.append("\n")
        elif tag == "li":
            parts.append("\n- ")
        elif tag in _PARAGRAPHS:
            parts.append(_PARA)
        elif tag in _BLOCK:
            parts.append("\n")
        elif tag in _HEADINGS:
            parts.append(_PARA)
            if tag == "h1" and self.h1_text is None:
                self.h1 = []
        elif tag in _CELL:
            parts.append(" ")
        elif tag == "pre":
            self.pre += 1
            parts.append(_PARA)

    def end(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _HEADINGS:
            self.parts.append(_PARA)
            if tag == "h1" and self.h1 is not None:
                self.h1_text = " ".join("".join(self.h1).split()) or None
                self.h1 = None
        elif tag in _PARAGRAPHS:
            self.parts.append(_PARA)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.parts.append(_PARA)

    def data(self, data: str | None) -> None:
        if not data or self.skip:
            return
        if self.h1 is not None:
            self.h1.append(data)
        if self.pre:
            self.parts.append(data.translate(_CTRL).replace("\n", "\n\x00"))  # \x00 marks a line to keep
        else:
            self.parts.append(data.translate(_WS))


def _parse(markup: str) -> Any:
    from lxml import etree

    parser = etree.HTMLParser(
        encoding="utf-8",  # the text is already decoded: a <meta charset> or XML declaration must not re-decode
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        default_doctype=False,
    )
    parser.feed(markup.encode("utf-8", "replace"))  # a lone surrogate (from a JSON escape) becomes '?'
    try:
        return parser.close()
    except etree.XMLSyntaxError:  # nothing a parser could read (empty, only a comment)
        return None


def html_to_text(markup: str) -> tuple[str, str | None]:
    """Plain text of an HTML document (entities decoded, one block per line) and its first <h1>, if any."""
    from lxml import etree

    out = _Text()
    root = _parse(markup) if markup.strip() else None
    if root is not None:
        depth = 0
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):  # an entity reference kept as a node
                continue
            if event == "start":
                depth += 1
                if depth >= MAX_DEPTH:
                    raise MarkupError(f"HTML nested more than {MAX_DEPTH} levels deep")
                out.start(tag.lower())
                out.data(el.text)
            else:
                depth -= 1
                out.end(tag.lower())
                out.data(el.tail)
    lines: list[str] = []
    pending_blank = False
    for line in "".join(out.parts).split("\n"):
        if line.startswith("\x00"):  # a line inside <pre>: keep its indentation
            squeezed = line[1:].rstrip()
        elif line == "\x01":
            pending_blank = bool(lines)
            continue
        else:
            squeezed = " ".join(line.split())
        if squeezed:
            if pending_blank:
                lines.append("")
                pending_blank = False
            lines.append(squeezed)
    title = out.h1_text
    if title is not None and len(title) > 150:
        title = None
    return "\n".join(lines), title


# --- Markdown ------------------------------------------------------------------------------------------


def _heading(m: re.Match[str]) -> str:
    return m.group(1).rstrip(" \t#")


# No repetition here can run past the delimiter that would end it, so no match attempt rescans the line.
_MD_RULES: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$", re.M), _heading),  # headings keep their text
    (re.compile(r"^[ \t]*+(?:[-*_][ \t]*+){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^([ \t]*+)[*+][ \t]+", re.M), r"\1- "),  # bullets as "- "
    (re.compile(r"^[ \t]*+>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"!?\[([^\[\]\n]*+)\]\([^()\n]*+\)"), r"\1"),  # links and images keep their text
    (re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),  # bold
    (re.compile(r"__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"`+"), ""),  # code spans
)


def markdown_to_text(text: str) -> str:
    """Markdown with its markup characters removed; line structure (headings, bullets) kept."""
    text = text.replace("\r\n", "\n")
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text
