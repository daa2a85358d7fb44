-- warehouse_tables: the tables of a warehouse, by name (for the build's summary).
-- grain: one row per table.
-- reads: the catalog (duckdb_tables()).
-- parameters: none.
SELECT table_name
FROM duckdb_tables()
ORDER BY table_name
