"""The one small loader for the statements in sql/: find, read and run them with bound parameters.

Every statement lives in its own file under sql/<layer>/<name>.sql; the file stem is the table it
produces, or <table>__<variant> where one table is made in different ways (cut__cluster.sql makes
`cut` on a cluster). Values reach SQL only as DuckDB named parameters ($name), never by string formatting.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


@functools.cache
def path(name: str) -> Path:
    """The file of the statement that produces `name` (searched in every layer)."""
    matches = sorted(SQL_DIR.glob(f"*/{name}.sql"))
    if len(matches) != 1:
        raise LookupError(f"expected one sql/*/{name}.sql, found {len(matches)}")
    return matches[0]


@functools.cache
def text(name: str) -> str:
    return path(name).read_text(encoding="utf-8")


@functools.cache
def macros(name: str) -> tuple[str, ...]:
    """The macros of sql/macros/ a statement calls (comments excluded)."""
    body = _COMMENT.sub("", text(name))
    return tuple(
        m.stem for m in sorted((SQL_DIR / "macros").glob("*.sql")) if re.search(rf"\b{m.stem}\(", body) and m.stem != name
    )


def _prepare(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Create the macros the statement calls on this connection (temporary, so read-only ones too)."""
    for macro in macros(name):
        con.execute(text(macro))


@functools.cache
def parameters(name: str) -> frozenset[str]:
    """The named parameters a statement uses (comments excluded)."""
    return frozenset(_PARAMETER.findall(_COMMENT.sub("", text(name))))


def bind(name: str, values: dict[str, Any]) -> dict[str, Any]:
    """The subset of `values` the statement uses; a missing one is a programming error."""
    wanted = parameters(name)
    missing = wanted - values.keys()
    if missing:
        raise KeyError(f"sql/{name}.sql needs parameters {sorted(missing)}")
    return {key: values[key] for key in wanted}


def query(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any] | None = None) -> list[tuple]:
    """Run a statement and return its rows."""
    _prepare(con, name)
    return con.execute(text(name), bind(name, values or {})).fetchall()


def materialise(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any] | None = None) -> int:
    """CREATE OR REPLACE TABLE <the statement's table> AS <statement>; return the number of rows."""
    table = table_of(name)
    _prepare(con, name)
    con.execute(f'CREATE OR REPLACE TABLE "{table}" AS ' + text(name), bind(name, values or {}))
    return row_count(con, table)


def table_of(name: str) -> str:
    """The table a statement makes: its name, without the __variant of a variant."""
    return name.split("__")[0]


def execute(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any] | None = None) -> None:
    """Run a statement that changes a table in place (an UPDATE)."""
    _prepare(con, name)
    con.execute(text(name), bind(name, values or {}))


def append(con: duckdb.DuckDBPyConnection, table: str, name: str, values: dict[str, Any] | None = None) -> int:
    """INSERT INTO <table> <statement name>; return the number of rows added."""
    before = row_count(con, table)
    _prepare(con, name)
    con.execute(f'INSERT INTO "{table}" ' + text(name), bind(name, values or {}))
    return row_count(con, table) - before


def rename(con: duckdb.DuckDBPyConnection, table: str, new_name: str) -> None:
    """Rename a table the pipeline produced, replacing any table of the new name."""
    con.execute(f'DROP TABLE IF EXISTS "{new_name}"')
    con.execute(f'ALTER TABLE "{table}" RENAME TO "{new_name}"')


def drop(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{table}"')


def checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    """Write what the connection changed to the database file: the blocks of dropped tables become
    free, and the tables written next reuse them."""
    con.execute("CHECKPOINT")


def exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $table", {"table": table}).fetchall()[0][0])


def row_count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in a table the pipeline produced (the name comes from sql/, never from a user)."""
    return con.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]


def read(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]) -> list[tuple]:
    """Columns of a table the pipeline produced (names from the code, never from a user)."""
    selected = ", ".join(f'"{column}"' for column in columns)
    return con.execute(f'SELECT {selected} FROM "{table}"').fetchall()


def query_numpy(con: duckdb.DuckDBPyConnection, name: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run a statement and return its columns as numpy arrays (masked where NULL)."""
    _prepare(con, name)
    return con.execute(text(name), bind(name, values or {})).fetchnumpy()


def read_numpy(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...]) -> dict[str, Any]:
    """Columns of a table the pipeline produced as numpy arrays (names from the code, never from a user)."""
    selected = ", ".join(f'"{column}"' for column in columns)
    return con.execute(f'SELECT {selected} FROM "{table}"').fetchnumpy()


def names() -> list[str]:
    """Every statement name in sql/."""
    return sorted(p.stem for p in SQL_DIR.glob("*/*.sql"))
