"""`newword sql`: ad-hoc queries that can read and never change anything.

Two walls. First, the statement is checked before it runs: one statement, and a query (SELECT,
WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN of a query, or an informational PRAGMA);
anything else is refused. Second, the connection is locked down: the warehouse is attached
read-only, no file outside the allowed folders can be opened, no extension installed or loaded,
and the configuration is locked so a query cannot undo it.
"""

from __future__ import annotations

import re

import duckdb

from newword.errors import NewwordError

# PRAGMAs that only report (PRAGMA name or PRAGMA name('arg')); the setting ones are SET statements.
INFORMATIONAL_PRAGMAS = frozenset(
    {
        "table_info", "show", "show_tables", "show_tables_expanded", "show_databases", "database_list",
        "database_size", "storage_info", "metadata_info", "version", "platform", "functions", "collations",
        "user_agent",
    }
)  # fmt: skip

ALLOWED = "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN <query> or PRAGMA table_info(...)"

_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(?:\([^)]*\)\s*)?(?:ANALY[SZ]E\s+)?", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\(|$)", re.IGNORECASE)


def checked(query: str) -> str:
    """The one query statement of `query`, or a NewwordError saying why it is refused."""
    if not query.strip():
        raise NewwordError('QUERY is empty: give a SQL query such as "SELECT * FROM lexicon LIMIT 10"')
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise NewwordError(f"query failed: {str(exc).splitlines()[0]}") from None
    if len(statements) != 1:
        raise NewwordError(f"give one SQL statement (got {len(statements)}): newword sql runs a single query")
    statement = statements[0]
    text = statement.query
    if not _is_query(statement.type, text):
        kind = statement.type.name
        raise NewwordError(f"refused: newword sql only reads ({ALLOWED}); got a {kind} statement")
    return text


def _is_query(kind: duckdb.StatementType, text: str) -> bool:
    if kind == duckdb.StatementType.SELECT:
        return True
    if kind == duckdb.StatementType.EXPLAIN:  # EXPLAIN ANALYZE runs its statement: only a query may follow
        inner = _EXPLAIN.sub("", text, count=1)
        try:
            inner_statements = duckdb.extract_statements(inner)
        except duckdb.Error:
            return False
        return len(inner_statements) == 1 and inner_statements[0].type == duckdb.StatementType.SELECT
    if kind == duckdb.StatementType.PRAGMA:
        match = _PRAGMA.match(text)
        return bool(match) and match.group(1).lower() in INFORMATIONAL_PRAGMAS
    return False


def lock_down(con: duckdb.DuckDBPyConnection, readable: list[str]) -> None:
    """No file access beyond `readable` folders, no extensions, and the settings locked."""
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    if readable:
        con.execute("SET allowed_directories = $folders", {"folders": [folder.rstrip("/") + "/" for folder in readable]})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def run(con: duckdb.DuckDBPyConnection, query: str) -> tuple[list[str], list[tuple]] | None:
    """Run a checked query on a locked-down connection: (columns, rows), or None when it returns none."""
    statement = checked(query)
    try:
        cursor = con.execute(statement)
        if cursor.description is None:
            return None
        return [d[0] for d in cursor.description], cursor.fetchall()
    except duckdb.PermissionException as exc:
        first = str(exc).splitlines()[0]
        raise NewwordError(f"refused: newword sql reads only the warehouse or the home's published files ({first})") from None
    except duckdb.Error as exc:
        raise NewwordError(f"query failed: {str(exc).splitlines()[0]}") from None
