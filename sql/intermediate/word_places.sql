-- word_places: where each candidate word occurs: the edges of the EM's lattice.
-- grain: one row per place of a candidate word in a distinct sentence piece.
-- reads: candidate_words.
-- parameters: none.
-- positions pack (sentence_id << 24) + position (from 1); start is from 0. The columns are narrow
-- (INTEGER sentence_id, SMALLINT start): some ten million rows go to numpy, each byte costs there.
SELECT
    word_id::INTEGER AS word_id,
    (key >> 24)::INTEGER AS sentence_id,
    ((key & 16777215) - 1)::SMALLINT AS start
FROM (
    SELECT
        word_id,
        unnest(positions) AS key
    FROM candidate_words
)
