"""How the outcomes of the four frameworks correspond, and the subjects followed across them.

The knowledge is data, curated with its evidence: `corpus/outcome_links.yaml` (which outcome of
one framework carries on which of another, and why) and `corpus/themes.yaml` (one subject's
outcome in each framework, quoted). This module reads them once, refuses a malformed file with
one line naming it, and offers them as plain values:

- `LINKS` and `links_of(doc_id, code, title)`: the curated links (undirected) touching an
  outcome; used by `KpiTools.related_outcomes`, briefings on an outcome and the nearest current
  ambition of a topic only older frameworks speak of.
- `THEMES` and `themes_of(...)`: for lineage timelines ("how has X changed since 2010?").

An outcome is named by (document id, code or title). The names below are the documents and the
outcomes that have no code, for code and tests that mention one; they are checked against the
seeded database by the tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from retrieval.yaml_files import read_yaml

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"
LINKS_FILE = CORPUS_DIR / "outcome_links.yaml"
THEMES_FILE = CORPUS_DIR / "themes.yaml"

P2010 = "integrated-plan-2010"
F2016 = "strategic-framework-2016-21"
F2021 = "strategic-framework-2021-25"
F2023 = "strategic-framework-2023-28-draft"

# 2016-21 outcomes
OLDER = "Older people live well independently"
DISABILITIES = "People with disabilities live well independently"
CHILDREN = "Places that work with children help them to reach their full potential"
ECONOMY = "The Cambridgeshire economy prospers to the benefit of all Cambridgeshire residents"
HEALTHY = "People lead a healthy lifestyle and stay healthy for longer"
SAFE_PLACE = "People live in a safe environment"
AT_RISK = "People at risk of harm are kept safe"
# 2021-25 strategic priorities
COMMUNITIES = "Communities at the heart of everything we do"
QUALITY_OF_LIFE = "A good quality of life for everyone"
CHILDREN_2021 = "Helping our children learn, develop and live life to the full"
ENVIRONMENT_2021 = "Cambridgeshire: A well-connected, safe, clean, green environment"
CARING_2021 = "Protecting and caring for those who need us"


@dataclass(frozen=True)
class OutcomeLink:
    """Two outcomes, each named by (document id, code or title), and why they correspond."""

    first: tuple[str, str]
    second: tuple[str, str]
    evidence: str


@dataclass(frozen=True)
class ThemeStep:
    """One outcome of a theme, named by (document id, code or title), and the words quoted for it."""

    outcome: tuple[str, str]
    quote: str


@dataclass(frozen=True)
class Theme:
    """A subject followed across frameworks. `keywords` are the words a question uses for it."""

    key: str
    name: str
    keywords: tuple[str, ...]
    steps: tuple[ThemeStep, ...]


class MappingFileError(ValueError):
    """A curated mapping file under corpus/ is malformed; the message names the file and entry."""


def load_links(path: Path = LINKS_FILE) -> tuple[OutcomeLink, ...]:
    entries = _entries(path, "links")
    links = []
    for number, entry in enumerate(entries, start=1):
        between = entry.get("between") if isinstance(entry, dict) else None
        if not (isinstance(between, list) and len(between) == 2):
            raise MappingFileError(f"{path.name}: link {number} needs 'between' with two outcomes.")
        links.append(OutcomeLink(_outcome(path, f"link {number}", between[0]),
                                 _outcome(path, f"link {number}", between[1]),
                                 _text(path, f"link {number}", entry, "evidence")))
    return tuple(links)


def load_themes(path: Path = THEMES_FILE) -> tuple[Theme, ...]:
    themes = []
    for number, entry in enumerate(_entries(path, "themes"), start=1):
        where = f"theme {number}"
        if not isinstance(entry, dict):
            raise MappingFileError(f"{path.name}: {where} must be a mapping.")
        keywords, steps = entry.get("keywords"), entry.get("steps")
        if not (isinstance(keywords, list) and keywords and all(isinstance(k, str) and k for k in keywords)):
            raise MappingFileError(f"{path.name}: {where} needs a list of 'keywords'.")
        if not (isinstance(steps, list) and steps):
            raise MappingFileError(f"{path.name}: {where} needs a list of 'steps'.")
        themes.append(Theme(
            _text(path, where, entry, "key"), _text(path, where, entry, "name"), tuple(keywords),
            tuple(ThemeStep(_outcome(path, f"{where} step {i}", step), _text(path, f"{where} step {i}", step, "quote"))
                  for i, step in enumerate(steps, start=1)),
        ))
    return tuple(themes)


def _entries(path: Path, key: str) -> list:
    try:
        data = read_yaml(path)
    except (OSError, yaml.YAMLError) as error:
        raise MappingFileError(f"{path}: cannot be read ({error}).") from None
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise MappingFileError(f"{path.name}: needs a non-empty list '{key}'.")
    return entries


def _outcome(path: Path, where: str, entry) -> tuple[str, str]:
    if not isinstance(entry, dict):
        raise MappingFileError(f"{path.name}: {where} must name a 'document' and an 'outcome'.")
    return _text(path, where, entry, "document"), _text(path, where, entry, "outcome")


def _text(path: Path, where: str, entry: dict, key: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise MappingFileError(f"{path.name}: {where} needs '{key}'.")
    return value.strip()


LINKS: tuple[OutcomeLink, ...] = load_links()
THEMES: tuple[Theme, ...] = load_themes()


def links_of(doc_id: str, code: str | None, title: str) -> list[tuple[OutcomeLink, tuple[str, str]]]:
    """Every link touching the outcome (doc_id, code or title), with the outcome at the other end."""
    names = {(doc_id, title)} | ({(doc_id, code)} if code else set())
    found = []
    for link in LINKS:
        if link.first in names:
            found.append((link, link.second))
        elif link.second in names:
            found.append((link, link.first))
    return found


def themes_of(doc_id: str, code: str | None, title: str) -> list[Theme]:
    """The themes that have the outcome (doc_id, code or title) as one of their steps."""
    names = {(doc_id, title)} | ({(doc_id, code)} if code else set())
    return [theme for theme in THEMES if any(step.outcome in names for step in theme.steps)]
