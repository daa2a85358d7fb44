-- ngram_counts_checked: the n-gram counts with what their expectation suite compares them against.
-- grain: one row per n-gram of ngram_counts.
-- reads: ngram_counts.
-- parameters: none.
SELECT
    ngram,
    length,
    length(ngram) AS character_length,
    count
FROM ngram_counts
