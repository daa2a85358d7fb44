-- ngram_counts_export: the n-gram counts as published with a version.
-- grain: one row per n-gram with count >= min_count, by count descending then n-gram.
-- reads: ngram_counts.
-- parameters: none.
SELECT
    ngram,
    length,
    count
FROM ngram_counts
ORDER BY count DESC, ngram
