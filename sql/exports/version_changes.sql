-- version_changes: the words of two versions whose use changed significantly, for the report.
-- grain: one row per word: 'gone' (in the old version only), or 'rising' / 'falling' (in both, its
--   share of all word uses changed significantly).
-- reads: the two versions' lexicon.parquet files.
-- parameters: $old_path, $new_path, $min_count (a word's larger count must reach it),
--   $min_log_likelihood (Dunning's G2 of the word's count against the two versions' totals; 10.83
--   is p < 0.001 with one degree of freedom).
-- Counts grow with the corpus, so the test compares each word's share of all uses; a word whose count
-- did not change is not listed (its share fell only because the corpus grew).
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

totals AS (
    SELECT
        (SELECT sum(count) FROM old)::DOUBLE AS old_total,
        (SELECT sum(count) FROM new)::DOUBLE AS new_total
),

joined AS (
    SELECT
        coalesce(new.word, old.word) AS word,
        old.count AS old_count,
        new.count AS new_count,
        old.count / totals.old_total AS old_share,
        new.count / totals.new_total AS new_share,
        totals.old_total * (old.count + new.count) / (totals.old_total + totals.new_total) AS old_expected,
        totals.new_total * (old.count + new.count) / (totals.old_total + totals.new_total) AS new_expected
    FROM new
    FULL OUTER JOIN old ON old.word = new.word
    CROSS JOIN totals
),

tested AS (
    SELECT
        *,
        2 * (
            CASE WHEN old_count = 0 THEN 0 ELSE old_count * ln(old_count / old_expected) END
            + CASE WHEN new_count = 0 THEN 0 ELSE new_count * ln(new_count / new_expected) END
        ) AS log_likelihood
    FROM joined
)

SELECT
    CASE
        WHEN new_count IS NULL THEN 'gone'
        WHEN new_share > old_share THEN 'rising'
        ELSE 'falling'
    END AS change,
    word,
    old_count,
    new_count,
    old_share,
    new_share,
    log_likelihood
FROM tested
WHERE
    new_count IS NULL
    OR (
        old_count IS NOT NULL
        AND old_count <> new_count
        AND greatest(old_count, new_count) >= $min_count
        AND log_likelihood >= $min_log_likelihood
    )
ORDER BY change, log_likelihood DESC NULLS LAST, old_count DESC, word
