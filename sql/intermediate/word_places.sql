-- word_places: where each candidate word occurs: the edges of the EM's lattice.
-- grain: one row per place of a candidate word in a distinct sentence piece.
-- reads: word_sentences, candidate_ngrams (the characters), word_candidates (the longer words).
-- parameters: none.
-- positions pack (sentence_id << 24) + position (from 1); start is from 0. The columns are narrow
-- (INTEGER sentence_id, SMALLINT start): hundreds of millions of rows go to numpy, each byte costs there.
SELECT
    k.word_id::INTEGER AS word_id,
    c.sentence_id::INTEGER AS sentence_id,
    (c.start - 1)::SMALLINT AS start
FROM (  -- every character is a candidate: its places are every place of the sentences
    SELECT
        sentence_id,
        unnest(string_split(sentence, '')) AS ngram,
        generate_subscripts(string_split(sentence, ''), 1) AS start
    FROM word_sentences
) AS c
INNER JOIN candidate_ngrams AS k ON k.ngram = c.ngram AND k.length = 1
UNION ALL
SELECT
    word_id::INTEGER AS word_id,
    (key >> 24)::INTEGER AS sentence_id,
    ((key & 16777215) - 1)::SMALLINT AS start
FROM (
    SELECT
        word_id,
        unnest(positions) AS key
    FROM word_candidates
    WHERE word_id IS NOT NULL
)
