"""Hostile inputs of issue #17, generated at any size (nothing large is stored): shared by tests/hostile/ and
bench/hostile.py. Each maker returns the file's bytes for about `size` bytes of input."""

from __future__ import annotations

import json
from collections.abc import Callable


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    return (head + unit * max(1, size // len(unit)) + tail).encode()


def md_heading_spaces(size: int) -> bytes:
    return _repeat(" ", size, "# a", "b\n")


def md_brackets(size: int) -> bytes:
    return _repeat("[", size, "", "\n")


def md_bold_runs(size: int) -> bytes:
    return _repeat("**a ", size, "", "\n")


def md_link_opens(size: int) -> bytes:
    return _repeat("[a](", size, "", "\n")


def html_open_tags(size: int) -> bytes:
    return _repeat("<a ", size, "<p>x</p>")


def html_open_quotes(size: int) -> bytes:
    return _repeat('<a "', size, "<p>x</p>")


def html_comments(size: int) -> bytes:
    return _repeat("<!--", size, "<p>x</p>")


def html_deep_nesting(size: int) -> bytes:
    return _repeat("<div>", size, "<p>x</p>")


def text_script_opens(size: int) -> bytes:
    return _repeat("<script ", size, "Run demos. ")


def text_style_and_tags(size: int) -> bytes:
    return _repeat("<style <b ", size, "Run demos. ")


def text_entities(size: int) -> bytes:
    return _repeat("&#x", size, "Run demos &amp; ")


def jsonl_one_hostile_record(size: int, records: int = 1000) -> bytes:
    """`records` ordinary postings and one hostile HTML record of `size` bytes in the middle."""
    lines = [
        json.dumps({"id": str(i), "text": "<p>Run discovery and demos for prospects.</p>"})
        for i in range(records)
    ]
    lines[records // 2] = json.dumps({"id": "hostile", "text": html_open_tags(size).decode()})
    return ("\n".join(lines) + "\n").encode()


#: (name, file name, maker): every text-reducer row of #17's table.
TEXT_CASES: list[tuple[str, str, Callable[[int], bytes]]] = [
    ("markdown heading + spaces", "h.md", md_heading_spaces),
    ("markdown [ x n", "b.md", md_brackets),
    ("markdown **a x n", "s.md", md_bold_runs),
    ("markdown [a]( x n", "l.md", md_link_opens),
    ("html <a x n", "a.html", html_open_tags),
    ('html <a " x n', "q.html", html_open_quotes),
    ("html <!-- x n", "c.html", html_comments),
    ("html <div> x n (deep)", "d.html", html_deep_nesting),
    ("text <script x n", "s.txt", text_script_opens),
    ("text <style <b x n", "t.txt", text_style_and_tags),
    ("text &#x x n", "e.txt", text_entities),
]
