-- version_changes: what changed between two versions, for the report: new, gone, rising, falling words.
-- grain: one row per word in either version whose presence or count changed.
-- reads: the two versions' lexicon.parquet files.
-- parameters: $old_path, $new_path.
-- Counts grow with the corpus, so rising and falling compare each word's share of all word
-- occurrences (its count over the sum of counts) in the two versions.
WITH old AS (
    SELECT
        word,
        count,
        count / sum(count) OVER () AS share
    FROM read_parquet($old_path)
),

new AS (
    SELECT
        word,
        count,
        count / sum(count) OVER () AS share,
        is_known
    FROM read_parquet($new_path)
),

joined AS (
    SELECT
        coalesce(new.word, old.word) AS word,
        old.count AS old_count,
        new.count AS new_count,
        new.share / old.share AS share_ratio,
        new.is_known
    FROM new
    FULL OUTER JOIN old ON old.word = new.word
)

SELECT
    CASE
        WHEN old_count IS NULL THEN 'new'
        WHEN new_count IS NULL THEN 'gone'
        WHEN share_ratio > 1 THEN 'rising'
        ELSE 'falling'
    END AS change,
    word,
    old_count,
    new_count,
    share_ratio,
    is_known
FROM joined
WHERE old_count IS NULL OR new_count IS NULL OR share_ratio <> 1
ORDER BY change, coalesce(new_count, old_count) DESC, word
