-- candidate_words: the topwords candidate words, numbered for the EM.
-- grain: one row per candidate word (word_id from 0, by length, then by word).
-- reads: candidate_ngrams.
-- parameters: none.
SELECT
    word_id,
    ngram AS word,
    length,
    count,
    known AS is_known
FROM candidate_ngrams
WHERE candidate
