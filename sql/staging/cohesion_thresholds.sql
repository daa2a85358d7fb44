-- cohesion_thresholds: the minimum cohesion an n-gram of each length must exceed.
-- grain: one row per n-gram length from 2 to max_n.
-- reads: nothing (parameters only).
-- parameters: $max_n; $threshold_lengths and $threshold_values, the explicit --min-cohesion pairs;
--   lengths without an explicit value get 5^(length-1) (algorithm.md).
SELECT
    lengths.length,
    coalesce(
        $threshold_values[list_position($threshold_lengths, lengths.length)],
        power(5, lengths.length - 1)
    )::DOUBLE AS min_cohesion
FROM range(2, $max_n + 1) AS lengths (length)
ORDER BY lengths.length
