"""Conventions that keep the project honest: SQL headers, one statement per file, bound parameters,
every SQL file tested, the library free of prefect, every command in the README or docs/, every table
in docs/warehouse.md, and its example queries run as written."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest

from newword import pipeline, sqlfiles
from newword.cli import build_parser
from tests.conftest import ROOT, write_lines
from tests.test_sql_golden import GOLDEN

README = (ROOT / "README.md").read_text(encoding="utf-8")
WAREHOUSE = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
DOCS = README + "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md")))


@pytest.mark.parametrize("name", sqlfiles.names())
def test_sql_file_has_header_and_one_statement(name):
    text = sqlfiles.text(name)
    lines = text.splitlines()
    assert lines[0].startswith(f"-- {name}: "), "first line: -- <table>: <purpose>"
    header = "\n".join(line for line in lines if line.startswith("--"))
    for field in ("grain:", "reads:", "parameters:"):
        assert f"-- {field}" in header, f"header names its {field}"
    body = re.sub(r"--[^\n]*", "", text)
    assert body.strip().count(";") == 0, "one statement, no terminating semicolons to chain more"
    assert "{" not in body or "columns = {" in body, "no format placeholders"


def test_every_sql_file_has_a_golden_test():
    assert set(sqlfiles.names()) == GOLDEN


def test_step_table_names_tables_and_statements_that_exist():
    """What a step reads is made by an earlier step; the statements it names are files of sql/; both
    modes have the same steps in the same order."""
    assert pipeline.step_names("topwords") == pipeline.step_names("reference")
    statements = set(sqlfiles.names())
    for mode, steps in pipeline.STEPS.items():
        made = {"the sources"}
        for step in steps:
            assert set(step.reads) <= made, (mode, step.name, set(step.reads) - made)
            made |= {step.name, *step.also}
            named = {n for n in step.made_by if not n.startswith("newword.")}
            assert named <= statements, (mode, step.name, named - statements)


def test_the_algorithm_page_lists_the_steps_in_their_order():
    rows = re.findall(r"^\| ([a-z_]+) \| `sql/", (ROOT / "docs" / "algorithm.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert tuple(rows) == pipeline.step_names("reference")


def test_no_statement_is_given_another_table():
    """File stem = table produced: no materialise(..., table=...) anywhere; a variant is <table>__<variant>.sql."""
    for path in [*(ROOT / "newword").rglob("*.py"), *(ROOT / "flows").glob("*.py")]:
        assert not re.search(r"materialise\([^\n]*table=", path.read_text(encoding="utf-8")), path


def test_library_does_not_import_prefect():
    for path in (ROOT / "newword").rglob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+prefect", path.read_text(encoding="utf-8"), re.MULTILINE), path


def test_no_sql_is_formatted_with_values():
    """Values reach SQL as bound $parameters; the only f-string SQL is table names from sql/."""
    for path in (ROOT / "newword").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"f[\"'].*\b(SELECT|INSERT|WHERE|CREATE)\b", line):
                assert "{name}" in line or "{table}" in line, f"{path.name}: {line.strip()}"


@pytest.mark.slow
def test_every_command_is_documented_with_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in commands:
        assert f"newword {name}" in DOCS, f"README or docs/ document `newword {name}`"
        done = subprocess.run(
            [sys.executable, "-m", "newword.cli", name, "--help"], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.returncode == 0 and "usage:" in done.stdout


@pytest.mark.parametrize(
    "table",
    [
        "documents",
        "sentences",
        "ngram_counts",
        "cohesion",
        "sentence_types",
        "word_sentences",
        "word_scores",
        "word_neighbours",
        "word_examples",
        "cut",
        "candidates",
        "lexicon",
        "run",
    ],
)
def test_every_table_is_documented(table):
    assert re.search(rf"^### `{table}`", WAREHOUSE, re.MULTILINE), f"docs/warehouse.md has a section for table {table}"


def readme_queries() -> list[str]:
    section = WAREHOUSE.split("## Example queries", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.DOTALL)


def test_readme_has_three_example_queries():
    assert len(readme_queries()) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("number", range(3))
def test_readme_example_queries_run_as_written(tmp_path, peoples_daily, number):
    corpus = write_lines(tmp_path / "c.txt", peoples_daily[:3000])
    pipeline.discover([str(corpus)], tmp_path / "newword.duckdb", None)
    con = duckdb.connect(str(tmp_path / "newword.duckdb"), read_only=True)
    try:
        rows = con.execute(readme_queries()[number]).fetchall()
    finally:
        con.close()
    assert rows, "the example returns rows on a real corpus"


PUBLISHED_TABLES = ("lexicon", "ngram_counts")


def test_every_published_table_has_a_suite_named_after_it():
    from newword.validate import SUITES_DIR, load_suites

    suites = {s["name"]: s for s in load_suites()}
    for table in PUBLISHED_TABLES:
        assert table in suites and suites[table]["meta"]["guards"] == table
        assert (SUITES_DIR / f"{table}.json").exists()
    for suite in suites.values():
        assert suite["meta"]["frame"] in sqlfiles.names(), "each suite reads a frame built by a file in sql/"
        descriptions = [e["description"] for e in suite["expectations"]]
        assert len(set(descriptions)) == len(descriptions), "each expectation has its own description"
        assert "id" not in suite and not any("id" in e for e in suite["expectations"]), "stable files: no generated ids"


def test_published_files_match_the_suites():
    """What publish writes is what the suites guard."""
    text = (ROOT / "newword" / "publish.py").read_text(encoding="utf-8")
    for table in PUBLISHED_TABLES:
        assert f'"{table}.parquet"' in text or f"{table}.parquet" in text


@pytest.mark.parametrize("command", ["discover", "refresh"])
def test_help_names_the_environment_variables_that_change_a_build(command):
    done = subprocess.run(
        [sys.executable, "-m", "newword.cli", command, "--help"], capture_output=True, text=True, cwd=ROOT, check=False
    )
    text = " ".join(done.stdout.split())
    for variable in ("NEWWORD_THREADS", "NEWWORD_MEMORY_LIMIT", "NEWWORD_TEMP_DIRECTORY", "NEWWORD_COMPACT_TEXT"):
        assert variable in text, f"`newword {command} --help` names {variable}"


@pytest.mark.parametrize("flow", ["lexicon_build", "lexicon_refresh"])
def test_flow_parameters_take_their_defaults_from_the_options(flow):
    """Every build option a flow takes has the default newword/options.py gives it, not one of its own."""
    import ast

    from newword.options import DISCOVERY, OPTIONS

    tree = ast.parse((ROOT / "flows" / f"{flow}.py").read_text(encoding="utf-8"))
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == flow)
    arguments = function.args.args[-len(function.args.defaults) :]
    options = {argument.arg: default for argument, default in zip(arguments, function.args.defaults) if argument.arg in OPTIONS}
    assert set(DISCOVERY) <= set(options), "a flow takes every discovery option"
    for name, default in options.items():
        assert ast.unparse(default) == f"O.{name}.default", f"{flow}: {name} = {ast.unparse(default)}"


@pytest.mark.parametrize("mode", ["topwords", "reference"])
def test_settings_read_back_from_their_record(mode):
    from newword.settings import Settings

    settings = Settings(mode=mode, max_n=5, min_count=7, min_cohesion={2: 3.0, 5: 700.0}, split_bonus=1.5, max_word_length=8)
    again = Settings.from_json(settings.to_json())
    assert again.to_json() == settings.to_json()
    assert again == settings if mode == "topwords" else again.max_word_length == Settings().max_word_length


# What a test file starts, and the marker (pyproject.toml) that keeps it out of `make check`. A flow run
# without PREFECT_API_URL starts a temporary Prefect server.
STARTS = {
    "server": re.compile(r"flows\.lexicon_(build|refresh)|^def test_\w+\([^)]*\bserver\b", re.MULTILINE),
    "browser": re.compile(r"chromium"),
    "cluster": re.compile(r"\bdask_cluster\("),
}
TEST_FILES = sorted(path.name for path in (ROOT / "tests").glob("test_*.py") if path.name != "test_conventions.py")


@pytest.mark.parametrize("name", TEST_FILES)
def test_tests_that_start_servers_browsers_or_clusters_carry_their_marker(name):
    text = (ROOT / "tests" / name).read_text(encoding="utf-8")
    for marker, pattern in STARTS.items():
        if pattern.search(text):
            assert f"pytest.mark.{marker}" in text, f"{name} starts a {marker}: mark its tests with pytest.mark.{marker}"
