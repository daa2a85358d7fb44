-- lexicon_distribution: how a version's words spread over length, count and cohesion, for charts.
-- grain: one row per (chart, bucket): chart is 'length', 'count' or 'cohesion'; buckets of count
--   and cohesion are powers of two (bucket b holds values in [2^b, 2^(b+1))).
-- reads: the version's lexicon.parquet at $path.
-- parameters: $path.
WITH words AS (
    SELECT
        length,
        count,
        cohesion
    FROM read_parquet($path)
),

buckets AS (
    SELECT
        'length' AS chart,
        length AS bucket
    FROM words
    UNION ALL
    SELECT
        'count' AS chart,
        floor(log2(count))::INTEGER AS bucket
    FROM words
    UNION ALL
    SELECT
        'cohesion' AS chart,
        floor(log2(cohesion))::INTEGER AS bucket
    FROM words
    WHERE cohesion > 0
)

SELECT
    chart,
    bucket,
    count(*) AS words
FROM buckets
GROUP BY chart, bucket
ORDER BY chart, bucket
