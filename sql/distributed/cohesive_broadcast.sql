-- cohesive_broadcast: the cohesion table's cohesive rows, written for every worker's cut (a COPY).
-- grain: one row per cohesive n-gram, in the file $target.
-- reads: cohesion.
-- parameters: $target.
COPY (
    SELECT *
    FROM cohesion
    WHERE is_cohesive
) TO $target (FORMAT parquet, OVERWRITE)
