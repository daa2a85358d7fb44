-- ngram_counts: step 2, every substring of length 1..max_n of every sentence, counted.
-- grain: one row per n-gram with count >= min_count.
-- reads: ngram_levels (ngram_levels__characters, then ngram_level for each length 2..max_n).
-- parameters: none.
-- The levels are counted one length at a time so that each length only groups the occurrences whose
-- two (n-1)-grams were kept (see ngram_level); this is their union, in algorithm.md's order.
SELECT
    ngram,
    length,
    count
FROM ngram_levels
ORDER BY count DESC, ngram
