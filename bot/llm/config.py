"""Which chat model `LLM_MODEL` names, and building it with LangChain's `init_chat_model`.

`LLM_MODEL` takes the `provider:model` form `init_chat_model` understands (`openai:gpt-4o-mini`,
`azure_openai:<deployment>`, `anthropic:claude-…`, `ollama:llama3.1`). Provider packages are optional
extras of this project, so a missing one is a user's set-up mistake: `LlmConfigError` names the
extra to install. Nothing here is imported by the offline mode.
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import Callable

from bot.settings import Settings


class LlmConfigError(ValueError):
    """LLM_MODEL (or a related setting) cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Provider:
    package: str  # the module init_chat_model imports
    extra: str    # this project's optional extra that installs it


PROVIDERS: dict[str, Provider] = {
    "openai": Provider("langchain_openai", "openai"),
    "azure_openai": Provider("langchain_openai", "openai"),
    "anthropic": Provider("langchain_anthropic", "anthropic"),
    "ollama": Provider("langchain_ollama", "ollama"),
}
STYLES = ("staff", "councillor", "contact-centre")
EXAMPLE = "openai:gpt-4o-mini"


@dataclass(frozen=True)
class ModelSpec:
    provider: str
    model: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}"


def parse_model_spec(value: str) -> ModelSpec:
    """`"ollama:llama3.1:8b"` → ModelSpec("ollama", "llama3.1:8b"); a clear error otherwise."""
    provider, colon, model = (value or "").strip().partition(":")
    if not colon or not provider or not model.strip():
        raise LlmConfigError(f"LLM_MODEL={value!r} is not in the form provider:model, e.g. {EXAMPLE}. "
                             "Unset LLM_MODEL for the offline mode.")
    provider = provider.strip().lower()
    if provider not in PROVIDERS:
        raise LlmConfigError(f"LLM_MODEL={value!r} names the provider {provider!r}; supported providers are "
                             f"{', '.join(PROVIDERS)} (any OpenAI-compatible server: openai with OPENAI_BASE_URL).")
    return ModelSpec(provider, model.strip())


def require_provider_package(spec: ModelSpec,
                             find_spec: Callable[[str], object] = importlib.util.find_spec) -> None:
    """Raise LlmConfigError naming the extra when the provider's LangChain package is missing."""
    provider = PROVIDERS[spec.provider]
    if find_spec(provider.package) is None:
        raise LlmConfigError(f"LLM_MODEL={spec} needs the {provider.extra} extra: "
                             f".venv/bin/pip install -e '.[{provider.extra}]'")


def check_style(style: str) -> str:
    if style not in STYLES:
        raise LlmConfigError(f"ANSWER_STYLE={style!r} is not one of: {', '.join(STYLES)}.")
    return style


def chat_model_kwargs(spec: ModelSpec, settings: Settings) -> dict:
    """Keyword arguments for `init_chat_model`: one request may take the whole time budget, and the
    agent, not the client, decides about retrying (a retry would only overrun the budget)."""
    timeout = settings.llm_timeout_s
    kwargs: dict = {}
    if spec.provider in ("openai", "azure_openai", "anthropic"):
        kwargs.update(timeout=timeout, max_retries=0)
    elif spec.provider == "ollama":
        kwargs.update(client_kwargs={"timeout": timeout})
    if spec.provider == "openai" and settings.openai_base_url:
        # Any OpenAI-compatible server (vLLM, llama.cpp, LM Studio…) speaks Chat Completions, not the
        # Responses API; a local one often needs no key, but the client insists on having one.
        kwargs.update(base_url=settings.openai_base_url, use_responses_api=False,
                      api_key=settings.openai_api_key or "not-needed")
    return kwargs


def build_chat_model(settings: Settings):
    """The chat model named by `settings.llm_model`, ready for `bind_tools`."""
    if not settings.llm_model:
        raise LlmConfigError("LLM_MODEL is not set, so the assistant runs in the offline mode.")
    spec = parse_model_spec(settings.llm_model)
    require_provider_package(spec)
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(spec.model, model_provider=spec.provider, **chat_model_kwargs(spec, settings))
    except Exception as exc:  # a missing API key, a broken provider package…
        # A pydantic error may echo its input (an API key), so only its type is shown.
        detail = type(exc).__name__ if type(exc).__name__ == "ValidationError" else f"{type(exc).__name__}: {exc}"
        raise LlmConfigError(f"LLM_MODEL={spec} could not be set up ({detail}). Check the provider's API key "
                             "variable (e.g. OPENAI_API_KEY) and OPENAI_BASE_URL.") from None
