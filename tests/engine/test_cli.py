"""The command line as a user meets it: exit codes, messages, the JSON contract."""
import json

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.wiring import Services


@pytest.fixture
def fake_services(settings, fake_engine):
    services = Services(settings)
    services.__dict__["_answer_engine"] = fake_engine  # skip the model; the CLI code path is real
    return services


def run(services, *args):
    return CliRunner().invoke(cli, list(args), obj=services, catch_exceptions=False)


def test_ask_json_prints_one_object_with_the_contract(fake_services):
    result = run(fake_services, "ask", "What does the 2021-25 framework promise on broadband?", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["question"] == "What does the 2021-25 framework promise on broadband?"
    assert data["mode"] == "offline" and data["abstained"] is False
    assert data["citations"][0]["doc_id"] == "strategic-framework-2021-25"
    assert isinstance(data["latency_ms"], float)


def test_ask_plain_text_lists_sources(fake_services):
    result = run(fake_services, "ask", "By how much will the budget have reduced by 2020-21?")
    assert result.exit_code == 0
    assert "£124 million" in result.output
    assert "Sources:" in result.output and "(strategic-framework-2016-21)" in result.output


@pytest.mark.parametrize("question, message", [
    ("", "Please type a question"),
    ("x" * 50_000, "Your question is 50,000 characters long"),
])
def test_misuse_exits_2_with_a_sentence_and_no_traceback(fake_services, question, message):
    result = run(fake_services, "ask", question)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_index_is_reported_not_raised(settings):
    from retrieval.index import IndexFiles, IndexMissing, load_index

    files = IndexFiles(settings.index_dir)
    with pytest.raises(IndexMissing, match="council-assistant index --rebuild"):
        load_index(files)


def test_corrupt_index_gives_a_clear_message(tmp_path, fake_index):
    import shutil

    from retrieval.index import IndexFiles, IndexMissing, load_index

    files, _, _ = fake_index
    copy = IndexFiles(tmp_path / "index")
    copy.dir.mkdir()
    for path in (files.state, files.chunks):
        shutil.copy(path, copy.dir / path.name)
    copy.cache.write_bytes(b"not a numpy file")
    with pytest.raises(IndexMissing, match="damaged"):
        load_index(copy)


def test_unexpected_failure_shows_a_reference_not_a_traceback(settings):
    class Broken:
        def answer(self, question, history=()):
            raise RuntimeError("database exploded: password=hunter2")

    services = Services(settings)
    services.__dict__["_answer_engine"] = Broken()
    result = run(services, "ask", "What about buses?")
    assert result.exit_code == 1
    assert "Something went wrong on our side (reference " in result.output
    assert "hunter2" not in result.output and "Traceback" not in result.output


def test_eval_rejects_a_malformed_file(fake_services, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  kind: nonsense\n  question: hi\n")
    result = run(fake_services, "eval", str(bad))
    assert result.exit_code == 1
    assert "x has kind 'nonsense'" in result.output


def test_ingest_rejects_unsupported_and_binary_files(fake_services, tmp_path):
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    assert "only .txt, .md files can be added" in run(fake_services, "ingest", str(pdf)).output
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02")
    assert "is not a text file" in run(fake_services, "ingest", str(junk)).output
    assert not (fake_services.settings.data_dir / "ingested" / "manifest.yaml").exists()


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help text"


def test_starting_the_cli_does_not_import_heavy_packages():
    import subprocess
    import sys

    code = ("import sys, bot.cli; heavy = [m for m in ('pandas', 'slack_bolt', 'torch', 'chromadb', "
            "'sentence_transformers') if m in sys.modules]; print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_lazy_sub_commands_are_listed_and_load_on_use(fake_services):
    result = run(fake_services, "--help")
    assert "kpi" in result.output and "slack" in result.output
    assert run(fake_services, "kpi", "--help").exit_code == 0


def test_every_migration_file_is_named_after_its_revision():
    """`kpi_tools.schema.is_at_head` reads the head from file names; this keeps that true."""
    import re

    from kpi_tools.schema import MIGRATIONS_DIR, newest_revision

    files = sorted((MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    assert files
    for path in files:
        source = path.read_text()
        assert re.search(rf'^revision\s*(?::\s*str\s*)?=\s*["\']{re.escape(path.stem)}["\']', source, re.M), path.name
    assert newest_revision() == files[-1].stem


def test_llm_model_setting_selects_the_llm_engine_which_falls_back_offline(settings, fake_engine):
    """With LLM_MODEL set and the model's server down, the answer still comes (offline) and says so."""
    import dataclasses
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    llm_settings = dataclasses.replace(settings, llm_model="openai:gpt-4o-mini",
                                       openai_base_url=f"http://127.0.0.1:{dead}/v1", llm_timeout_s=3.0)
    services = Services(llm_settings)
    services.__dict__["_answer_engine"] = fake_engine
    engine = services.answer_engine()
    assert (type(engine).__name__, type(engine.engine).__name__) == ("GuardedEngine", "LlmEngine")
    answer = engine.answer("By how much will the budget have reduced by 2020-21?")
    assert answer.mode == "offline"
    assert "£124 million" in answer.text
    assert any("offline answer" in note for note in answer.notes)
    assert answer.latency_ms < 3000
