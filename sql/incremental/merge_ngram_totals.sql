-- merge_ngram_totals: add the new counts of n-grams already in the full counts (an UPDATE).
-- grain: updates one row of ngram_totals per n-gram that is in both tables.
-- reads: ngram_totals (every n-gram of the corpus so far, whatever its count), new_ngram_counts.
-- parameters: none.
-- With unseen_ngrams.sql (the n-grams seen for the first time, appended), this keeps ngram_totals
-- equal to a full recount; an UPDATE because rewriting the whole table is far slower for a small refresh.
UPDATE ngram_totals
SET count = ngram_totals.count + new_ngram_counts.count
FROM new_ngram_counts
WHERE ngram_totals.ngram = new_ngram_counts.ngram
