-- ngram_counts_checked: the n-gram counts with what their expectation suite compares them against.
-- grain: one row per n-gram of ngram_counts.
-- reads: ngram_counts.
-- parameters: $pattern (the sentence regex: a run of the character class).
SELECT
    ngram,
    length,
    length(ngram) AS character_length,
    coalesce(regexp_full_match(ngram, $pattern), FALSE) AS has_only_class_characters,
    count
FROM ngram_counts
