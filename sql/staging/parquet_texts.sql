-- parquet_texts: the text column of a Parquet file, for ingest.
-- grain: one row per Parquet row, in file order.
-- reads: the Parquet file at $path.
-- parameters: $path, $text_field (the column holding the text).
SELECT COLUMNS(lambda column_name: column_name = $text_field)::VARCHAR AS text
FROM read_parquet($path)
