"""Prompt files in `prompts/` and the pure functions that fill their named placeholders.

A placeholder is `{name}` (lower case letters and underscores); any other brace is literal text.
`render` refuses a missing, unknown or unused value, so a renamed placeholder fails a test instead
of sending the model a half-filled prompt. The rendered prompts are snapshot-tested.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from bot.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
STYLE_FILES = {"staff": "style-staff.md", "councillor": "style-councillor.md",
               "contact-centre": "style-contact-centre.md"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class PromptError(ValueError):
    """A prompt file and the values given for it do not match."""


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def render(template: str, **values: object) -> str:
    """Fill every `{name}` of `template`; every value must be used and every placeholder filled."""
    wanted = placeholders(template)
    missing, unused = wanted - set(values), set(values) - wanted
    if missing or unused:
        raise PromptError(f"placeholders missing: {sorted(missing)}; values not used: {sorted(unused)}")
    return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), template)


@dataclass(frozen=True)
class PromptSet:
    """The LLM mode's prompt files, read once at start-up."""

    system: str
    repair: str
    styles: dict[str, str]

    @classmethod
    def load(cls, directory: Path = PROMPTS_DIR) -> "PromptSet":
        def read(name: str) -> str:
            return (directory / name).read_text(encoding="utf-8").strip()

        return cls(system=read("system.md"), repair=read("repair.md"),
                   styles={style: read(name) for style, name in STYLE_FILES.items()})


def system_prompt(prompts: PromptSet, style: str, max_tool_calls: int, not_found: str) -> str:
    return render(prompts.system, answer_style=prompts.styles[style], max_tool_calls=max_tool_calls,
                  not_found=not_found)


def repair_prompt(prompts: PromptSet, problems: Sequence[str]) -> str:
    return render(prompts.repair, problems="\n".join(f"- {problem}" for problem in problems))
