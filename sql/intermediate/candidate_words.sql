-- candidate_words: the topwords candidates numbered for the EM, with their places.
-- grain: one row per candidate word (word_id from 0, in no particular order).
-- reads: word_candidates.
-- parameters: none.
SELECT
    row_number() OVER () - 1 AS word_id,
    ngram AS word,
    length,
    count,
    known AS is_known,
    positions
FROM word_candidates
WHERE candidate
