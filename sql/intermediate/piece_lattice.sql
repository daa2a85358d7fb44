-- piece_lattice: the lattice of the entropy mode's cut: at each position of a batch of distinct
--   sentences, the autonomy of the n-gram of each length 1..max_n that starts there.
-- grain: one row per position (sentence_id, position) of the sentences with sentence_id in
--   $first_sentence .. $last_sentence and at most $max_length characters.
-- reads: sentence_types, autonomy.
-- parameters: $first_sentence, $last_sentence, $max_length, $max_n (at most 6).
-- a1 .. a6: the autonomy of the n-gram of that length starting at the position; NULL where it is not
-- in autonomy (a segmentation piece of two or more characters must be; a character need not), runs
-- past the sentence's end, or is longer than $max_n. newword.segment.best_autonomy_paths takes the
-- path of highest score through it (a dynamic programme over all the batch's sentences at once).
-- The n-grams are integer keys, as in cut.sql: code points, 21 bits each, first character highest;
-- up to three characters in a BIGINT, longer ones in a HUGEINT.
-- No ORDER BY: the rows are placed by (sentence_id, position).
WITH keys AS (
    SELECT
        list_sum(list_transform(
            range(0, length),
            lambda j: unicode(string_split(ngram, '')[j + 1])::HUGEINT << (21 * (length - 1 - j))
        )) AS key,
        length,
        autonomy
    FROM autonomy
    WHERE length <= $max_n
),

positions AS (  -- a row per position: the codes of the characters there and after (NULL past the end)
    SELECT
        sentence_id,
        unnest(range(1, len(codes) + 1)) AS position,
        unnest(codes) AS c0,
        unnest(codes[2:]) AS c1,
        unnest(if($max_n >= 3, codes[3:], [])) AS c2,
        unnest(if($max_n >= 4, codes[4:], [])) AS c3,
        unnest(if($max_n >= 5, codes[5:], [])) AS c4,
        unnest(if($max_n >= 6, codes[6:], [])) AS c5
    FROM (
        SELECT
            sentence_id,
            list_transform(string_split(sentence, ''), lambda c: unicode(c)::BIGINT) AS codes
        FROM sentence_types
        WHERE sentence_id BETWEEN $first_sentence AND $last_sentence AND length <= $max_length
    )
),

keyed AS (
    SELECT
        sentence_id,
        position,
        c0 AS k1,
        (c0 << 21) + c1 AS k2,
        (k2 << 21) + c2 AS k3,
        (k3::HUGEINT << 21) + c3 AS k4,
        (k4 << 21) + c4 AS k5,
        (k5 << 21) + c5 AS k6
    FROM positions
)

SELECT
    keyed.sentence_id,
    keyed.position,
    l1.autonomy AS a1,
    l2.autonomy AS a2,
    l3.autonomy AS a3,
    l4.autonomy AS a4,
    l5.autonomy AS a5,
    l6.autonomy AS a6
FROM keyed
LEFT JOIN (SELECT key::BIGINT AS key, autonomy FROM keys WHERE length = 1) AS l1 ON l1.key = keyed.k1
LEFT JOIN (SELECT key::BIGINT AS key, autonomy FROM keys WHERE length = 2) AS l2 ON l2.key = keyed.k2
LEFT JOIN (SELECT key::BIGINT AS key, autonomy FROM keys WHERE length = 3) AS l3 ON l3.key = keyed.k3
LEFT JOIN (SELECT key, autonomy FROM keys WHERE length = 4) AS l4 ON l4.key = keyed.k4
LEFT JOIN (SELECT key, autonomy FROM keys WHERE length = 5) AS l5 ON l5.key = keyed.k5
LEFT JOIN (SELECT key, autonomy FROM keys WHERE length = 6) AS l6 ON l6.key = keyed.k6
