-- cohesion: step 3, the cohesion score of every kept n-gram of length >= 2.
-- grain: one row per n-gram of ngram_counts with length >= 2.
-- reads: ngram_counts, cohesion_thresholds.
-- parameters: none.
-- cohesion(w) = min over split points i of total * c(w) / (c(w[:i]) * c(w[i:])),
-- total = sum of the kept 1-gram counts. Every part of a kept n-gram is kept too (its count is
-- at least c(w)), so the joins below always match.
WITH totals AS (
    SELECT sum(count)::BIGINT AS total
    FROM ngram_counts
    WHERE length = 1
),

splits AS (
    SELECT
        ngram_counts.ngram,
        ngram_counts.length,
        ngram_counts.count,
        split_points.split_at
    FROM ngram_counts,
        range(1, ngram_counts.length) AS split_points (split_at)
    WHERE ngram_counts.length >= 2
),

split_scores AS (
    SELECT
        splits.ngram,
        splits.length,
        splits.count,
        totals.total::DOUBLE * splits.count / (lefts.count::DOUBLE * rights.count) AS score
    FROM splits
    CROSS JOIN totals
    INNER JOIN ngram_counts AS lefts ON lefts.ngram = substr(splits.ngram, 1, splits.split_at)
    INNER JOIN ngram_counts AS rights ON rights.ngram = substr(splits.ngram, splits.split_at + 1)
),

scores AS (
    SELECT
        ngram,
        length,
        count,
        min(score) AS cohesion
    FROM split_scores
    GROUP BY ngram, length, count
)

SELECT
    scores.ngram,
    scores.length,
    scores.count,
    scores.cohesion,
    cohesion_thresholds.min_cohesion,
    scores.cohesion > cohesion_thresholds.min_cohesion AS is_cohesive
FROM scores
INNER JOIN cohesion_thresholds ON cohesion_thresholds.length = scores.length
ORDER BY scores.cohesion DESC, scores.ngram
