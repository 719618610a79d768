"""Reading the project's YAML data files (manifest, language, cards, mappings) quickly.

PyYAML's pure-Python loader takes a few hundred milliseconds for these files, a large share of a
one-shot `ask`; the libyaml loader reads the same documents with the same safe rules in a
fraction of that. Installs without libyaml fall back to the pure-Python loader.
"""
from __future__ import annotations

from pathlib import Path

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str):
    """Safe YAML (no arbitrary objects), as `yaml.safe_load` reads it."""
    return yaml.load(text, Loader=_LOADER)


def read_yaml(path: Path):
    return parse_yaml(Path(path).read_text(encoding="utf-8"))
