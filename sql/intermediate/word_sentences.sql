-- word_sentences: the distinct sentences as the topwords mode reads them, runs longer than
--   $max_sentence characters cut into pieces of that length.
-- grain: one row per distinct sentence piece (sentence_id numbered from 1 in no particular order).
-- reads: sentence_types.
-- parameters: $max_sentence (newword.topwords.MAX_SENTENCE).
-- word_candidates reads places by substr, linear in the position (a long run uncut is quadratic), and
-- packs a position in 24 bits.
WITH pieces AS (
    SELECT
        sentence,
        occurrences
    FROM sentence_types
    WHERE length <= $max_sentence
    UNION ALL
    SELECT
        substr(sentence, 1 + k * $max_sentence, $max_sentence) AS sentence,
        occurrences
    FROM (
        SELECT
            sentence,
            occurrences,
            unnest(range(0, (length + $max_sentence - 1) // $max_sentence)) AS k
        FROM sentence_types
        WHERE length > $max_sentence
    )
)

SELECT
    row_number() OVER () AS sentence_id,
    sentence,
    sum(occurrences)::BIGINT AS occurrences,
    length(sentence) AS length
FROM pieces
GROUP BY sentence
