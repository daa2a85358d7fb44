-- empty_totals: a totals file with no rows, for a reduce whose map wrote nothing (no cohesive n-gram
-- means no piece to count), so that reading the totals finds a file (a COPY).
-- grain: no rows; the columns of partition_totals.
-- reads: nothing.
-- parameters: $target.
COPY (
    SELECT
        NULL::VARCHAR AS ngram,
        NULL::BIGINT AS length,
        NULL::BIGINT AS count
    WHERE FALSE
) TO $target (FORMAT parquet, OVERWRITE)
