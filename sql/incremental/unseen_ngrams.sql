-- unseen_ngrams: the new n-grams that the full counts do not have yet, to append to them.
-- grain: one row per n-gram of new_ngram_counts that is not in ngram_totals.
-- reads: new_ngram_counts, ngram_totals.
-- parameters: none.
SELECT
    new_ngram_counts.ngram,
    new_ngram_counts.length,
    new_ngram_counts.count
FROM new_ngram_counts
ANTI JOIN ngram_totals ON ngram_totals.ngram = new_ngram_counts.ngram
