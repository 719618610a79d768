"""One normalisation of document text, shared by the seed parsers and the provenance tests.

Quotes and printed values are stored as they appear in the *normalised* document, so a test
can check that every stored quote really occurs in its source. The normalisation removes only
what the PDF-to-text conversion added: Markdown bold markers, `<sub>` tags (so "CO<sub>2</sub>e"
reads "CO2e") and runs of whitespace, including the hard line breaks inside infographic text.
"""
from __future__ import annotations

import html
import re

_WHITESPACE = re.compile(r"\s+")
_SUB_TAGS = re.compile(r"</?sub>")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # not "< 14 days"
_KEY_NOISE = re.compile(r"[^0-9a-z%]+")


def normalise_text(text: str) -> str:
    """The text as stored quotes are matched against: no `**`, no `<sub>`, single spaces."""
    text = text.replace("**", "")
    text = _SUB_TAGS.sub("", text)
    return _WHITESPACE.sub(" ", text).strip()


def strip_html(text: str) -> str:
    """Text of a table cell without the HTML left by the conversion (`<p>`, `<ul ...>`)."""
    return normalise_text(html.unescape(_HTML_TAG.sub(" ", text)))


def name_key(text: str) -> str:
    """A matching key that ignores case, bullets, punctuation and spacing.

    Two editions print the same measure with and without "•" bullets or `<p>` tags; an
    importer may write "bcf 2a part 2" for "BCF 2A PART 2". Both must find the same row.
    """
    text = strip_html(text).lower().replace("•", " ")
    return _KEY_NOISE.sub(" ", text).strip()


_HEADING_MARKS = re.compile(r"^#+\s*")
_BULLET = re.compile(r"^\s*[-•]\s+")
_TICK_MARKS = re.compile(r"^[☒✓☑✔♦]\s*")


def heading_text(line: str) -> str:
    """A heading line without Markdown `#`, bold markers or a closing colon."""
    text = normalise_text(_HEADING_MARKS.sub("", line.strip()))
    return text.rstrip(":").strip()


def bullet_text(line: str) -> str | None:
    """The text of a "- " bullet line, without tick marks (☒ ✓ ♦) or bold; None if not a bullet."""
    if not _BULLET.match(line):
        return None
    return normalise_text(_TICK_MARKS.sub("", _BULLET.sub("", line, count=1).strip()))


def is_heading(line: str) -> bool:
    return line.lstrip().startswith("#")
