-- version_trends: per version, its words, the words not known, and the words first published in it
-- and not known, for the report's trend charts.
-- grain: one row per version, oldest first.
-- reads: the lexicon.parquet of every version.
-- parameters: $paths (every version's lexicon.parquet, oldest first), $versions (their ids, in the same order).
WITH words AS (
    SELECT
        $versions[list_position($paths, filename)] AS version,
        word,
        is_known
    FROM read_parquet($paths, filename = TRUE)
),

dated AS (
    SELECT
        *,
        min(version) OVER (PARTITION BY word) AS first_version
    FROM words
)

SELECT
    version,
    count(*) AS words,
    count(*) FILTER (WHERE NOT is_known) AS not_known,
    count(*) FILTER (WHERE NOT is_known AND first_version = version) AS new_not_known
FROM dated
GROUP BY version
ORDER BY version
