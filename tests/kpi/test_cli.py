"""`council-assistant kpi ...`: exact output, exit status 1 and one sentence for mistakes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kpi_tools.cli import kpi_group


class FakeServices:
    """Stands in for bot.wiring.Services: only `db()` is used by the kpi commands."""

    def __init__(self, engine):
        self.engine = engine

    def db(self):
        return self.engine


def run(engine, *args):
    return CliRunner().invoke(kpi_group, list(args), obj=FakeServices(engine))


def test_import_prints_a_summary(fresh_engine, tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("measure,period,value,unit,area,target,source\nROAD-DEATHS,2022,31,people,Cambridgeshire,,Police\n")
    result = run(fresh_engine, "import", str(path), "--dry-run")
    assert (result.exit_code, result.output) == (0, (
        "Would import 1 observation row from values.csv: 1 new, 0 updated, 0 unchanged (1 measure: ROAD-DEATHS "
        "(People killed on Cambridgeshire's roads)). Dry run: nothing was written.\n"))
    assert run(fresh_engine, "import", str(path)).output.startswith("Imported 1 observation row")


def test_import_failure_is_a_message_not_a_traceback(fresh_engine, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("measure,period,value,unit,area,target,source\nROAD-DEATHS,2022,n/a,people,Cambridgeshire,,Police\n")
    result = run(fresh_engine, "import", str(path))
    assert result.exit_code == 1
    assert result.output == (
        "Error: 1 problem in bad.csv; nothing was imported.\n"
        "- bad.csv, row 2, column 'value': value 'n/a' is not a number; leave the row out if there is no value\n")
    assert isinstance(result.exception, SystemExit)


def test_definitions_file_without_the_flag_gets_a_hint(seeded_engine, tmp_path):
    path = tmp_path / "defs.csv"
    path.write_text("code,name,unit,definition,related_kpi,related_outcome,publisher\nX,Y,,,,,\n")
    result = run(seeded_engine, "import", str(path))
    assert result.exit_code == 1
    assert result.output.endswith("This looks like a file of measure definitions: add --definitions.\n")


def test_missing_file(seeded_engine, tmp_path):
    result = run(seeded_engine, "import", str(tmp_path / "nope.csv"))
    assert (result.exit_code, result.output) == (
        1, f"Error: 1 problem in nope.csv; nothing was imported.\n- nope.csv: no such file: {tmp_path / 'nope.csv'}\n")


def test_measures_and_commitments(seeded_engine):
    result = run(seeded_engine, "measures", "--committee", "Adults", "--deprivation")
    assert (result.exit_code, result.output) == (0, (
        "2 measures:\n"
        "- [id {0}] 1E - Proportion of adults with learning disabilities in paid employment (KPI; "
        "strategic-framework-2016-21; CFA / Adults; primary outcome: People with disabilities live well "
        "independently; deprivation indicator; no values imported)\n"
        "- [id {1}] 1F - Adults in contact with secondary mental health services in employment (KPI; "
        "strategic-framework-2016-21; CFA / Adults; primary outcome: The Cambridgeshire economy prospers to the "
        "benefit of all Cambridgeshire residents; deprivation indicator; no values imported)\n"
    ).format(*_ids(seeded_engine, "1E", "1F")))
    commitments = run(seeded_engine, "commitments", "flooding", "--json")
    assert commitments.exit_code == 0
    assert [c["text"] for c in json.loads(commitments.output)] == [
        "Supporting Community Flood Groups to build resilience in areas at risk of flooding"]


def test_value_and_figures(seeded_engine):
    result = run(seeded_engine, "value", "CARBON-CCC")
    assert result.output == (
        "Cambridgeshire County Council's own greenhouse gas emissions (scopes 1-3) in Cambridgeshire County Council: "
        "188,625 tonnes CO2e in 2019-20 to 131,610 tonnes CO2e in 2021-22 (3 values, falling; source: "
        "https://www.cambridgeshire.gov.uk/news/carbon-footprint-continues-overall-reduction-from-baseline-year).\n"
        "- 2019-20: 188,625 tonnes CO2e\n- 2020-21: 113,477 tonnes CO2e\n- 2021-22: 131,610 tonnes CO2e\n")
    figures = run(seeded_engine, "figures", "councillors")
    assert figures.output.startswith("1 figure:\n- Elected councillors of the County Council: 69 councillors")


@pytest.mark.parametrize(("args", "message"), [
    (["value", "zebra"], "Error: No measure has the code or name 'zebra'.\n"),
    (["commitments", "the"], "Error: topic 'the' has no words to search for; use a subject such as 'flooding'.\n"),
    (["measures", "--framework", "1999"], "Error: No framework matches '1999'. Did you mean: integrated-plan-2010; "
     "strategic-framework-2016-21; strategic-framework-2016-21-draft; strategic-framework-2021-25; "
     "strategic-framework-2023-28-draft?\n"),
])
def test_mistakes_exit_1_with_one_sentence(seeded_engine, args, message):
    result = run(seeded_engine, *args)
    assert (result.exit_code, result.output) == (1, message)


def test_without_services_the_group_says_so():
    result = CliRunner().invoke(kpi_group, ["measures"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: The kpi commands were started without the application's services")


def test_every_command_has_help():
    for name, command in kpi_group.commands.items():
        assert command.help, name
        assert CliRunner().invoke(kpi_group, [name, "--help"]).exit_code == 0


def _ids(engine, *codes):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from kpi_tools.models import Measure

    with Session(engine) as session:
        found = dict(session.execute(select(Measure.code, Measure.id).where(Measure.code.in_(codes))).all())
    return [found[code] for code in codes]


def test_concurrent_imports_of_the_same_file_in_two_processes_both_succeed(fresh_engine, tmp_path):
    """Two `kpi import` processes at once: the second waits for the first, then finds the rows
    unchanged; neither is told to check DATABASE_URL."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from sqlalchemy import text

    repo = Path(__file__).resolve().parents[2]
    rows = "".join(f"ROAD-DEATHS,{year},{year - 1990},people,Area {n},,Police\n"
                   for year in range(2000, 2020) for n in range(200))
    path = tmp_path / "same.csv"
    path.write_text("measure,period,value,unit,area,target,source\n" + rows)
    url = fresh_engine.url.render_as_string(hide_password=False)
    options = ""
    if fresh_engine.dialect.name == "postgresql":
        with fresh_engine.connect() as connection:
            options = connection.scalar(text("SELECT current_schema()"))
    code = (f"import sys; sys.path.insert(0, {str(repo)!r})\n"
            "from click.testing import CliRunner\n"
            "from kpi_tools.cli import kpi_group\nfrom kpi_tools.database import make_engine\n"
            f"args = {{'connect_args': {{'options': '-csearch_path={options}'}}}} if {bool(options)} else {{}}\n"
            f"engine = make_engine({url!r}, **args)\n"
            "class S:\n    def db(self): return engine\n"
            f"r = CliRunner().invoke(kpi_group, ['import', {str(path)!r}], obj=S())\n"
            "print(r.exit_code, r.output.strip())\n")
    processes = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env={**os.environ}) for _ in range(2)]
    outputs = sorted(p.communicate(timeout=180)[0] for p in processes)
    assert [o.split()[0] for o in outputs] == ["0", "0"], outputs
    assert any("4000 new" in o for o in outputs) and any("4000 unchanged" in o for o in outputs), outputs
    assert not any("DATABASE_URL" in o for o in outputs)
