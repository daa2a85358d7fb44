-- ngram_counts__incremental: step 2 from the full counts: the ngram_counts table of an incremental refresh.
-- grain: one row per n-gram with count >= min_count (the same rows as ngram_counts.sql on the corpus).
-- reads: ngram_totals.
-- parameters: $min_count.
SELECT
    ngram,
    length,
    count
FROM ngram_totals
WHERE count >= $min_count
ORDER BY count DESC, ngram
