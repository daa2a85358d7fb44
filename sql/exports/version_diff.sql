-- version_diff: words added to, removed from and (on request) changed between two versions.
-- grain: one row per word that differs; change is '+' (added), '-' (removed) or '~' (count changed).
-- reads: the two versions' lexicon.parquet files.
-- parameters: $old_path, $new_path, $include_changed.
WITH old AS (
    SELECT
        word,
        count
    FROM read_parquet($old_path)
),

new AS (
    SELECT
        word,
        count
    FROM read_parquet($new_path)
),

added AS (
    SELECT
        '+' AS change,
        new.word,
        NULL::BIGINT AS old_count,
        new.count AS new_count
    FROM new
    ANTI JOIN old ON old.word = new.word
),

removed AS (
    SELECT
        '-' AS change,
        old.word,
        old.count AS old_count,
        NULL::BIGINT AS new_count
    FROM old
    ANTI JOIN new ON new.word = old.word
),

changed AS (
    SELECT
        '~' AS change,
        new.word,
        old.count AS old_count,
        new.count AS new_count
    FROM new
    INNER JOIN old ON old.word = new.word
    WHERE $include_changed AND new.count <> old.count
),

differences AS (
    SELECT * FROM added
    UNION ALL
    SELECT * FROM removed
    UNION ALL
    SELECT * FROM changed
)

SELECT
    change,
    word,
    old_count,
    new_count
FROM differences
ORDER BY
    CASE change WHEN '+' THEN 1 WHEN '-' THEN 2 ELSE 3 END,
    coalesce(new_count, old_count) DESC,
    word
