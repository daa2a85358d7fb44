-- cut: step 4, the multi-character pieces of every distinct sentence.
-- grain: one row per piece of length >= 2 per distinct sentence (sentence_id, piece_start).
--   Characters covered by no cohesive n-gram are single-character pieces; they never become
--   candidates (length >= 2), so they are not stored.
-- reads: sentence_types, cohesion.
-- parameters: $max_n (at most 6).
-- A boundary is joined when a cohesive n-gram occurrence covers both its characters, so a piece
-- is a maximal chain of cohesive occurrences that overlap by at least one character.
-- The longest cohesive n-gram at each position is found by hash lookups of integer keys (as
-- ngram_level's); each sentence is then worked on as a list, so the cost is linear in its length (no
-- per-piece copy of the sentence, no substr at a far position, no sort across sentences).
-- Measured on 25 MB (7.3 M characters): 0.75 s with string windows matched against the cohesive
-- n-grams of their first two characters, 0.60 s with integer keys.
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs.
WITH cohesive_keys AS (  -- the cohesive n-grams as keys: code points, 21 bits each, first character highest
    SELECT
        list_sum(list_transform(
            range(0, length(ngram)),
            lambda j: unicode(string_split(ngram, '')[j + 1])::HUGEINT << (21 * (length(ngram) - 1 - j))
        )) AS key,
        length(ngram) AS length
    FROM cohesion
    WHERE is_cohesive AND length(ngram) <= $max_n
),

positions AS (  -- a row per position: the codes of the characters there and after (NULL past the end)
    SELECT
        sentence_id,
        unnest(range(1, len(codes) + 1)) AS position,
        unnest(codes) AS c0,
        unnest(codes[2:]) AS c1,  -- unnesting shifted slices side by side is a copy, linear
        unnest(if($max_n >= 3, codes[3:], [])) AS c2,
        unnest(if($max_n >= 4, codes[4:], [])) AS c3,
        unnest(if($max_n >= 5, codes[5:], [])) AS c4,
        unnest(if($max_n >= 6, codes[6:], [])) AS c5
    FROM (
        SELECT
            sentence_id,
            list_transform(string_split(sentence, ''), lambda c: unicode(c)::BIGINT) AS codes
        FROM sentence_types
    )
),

keyed AS (  -- the keys of the n-grams starting at each position that can start one (n = 2 .. 6)
    SELECT
        sentence_id,
        position,
        -- Each key from the last (fewer operations). Up to three characters fit in a BIGINT (63
        -- bits); longer keys are HUGEINTs, whose arithmetic is slower.
        (c0 << 21) + c1 AS k2,
        (k2 << 21) + c2 AS k3,
        (k3::HUGEINT << 21) + c3 AS k4,
        (k4 << 21) + c4 AS k5,
        (k5 << 21) + c5 AS k6
    FROM positions
    WHERE c1 IS NOT NULL
),

reaches AS (  -- every position that can start an n-gram: the length of the longest cohesive one there, else 0
    SELECT
        sentence_id,
        position,
        CASE  -- a hash lookup per length (to max_n: there are no longer cohesive n-grams)
            WHEN k6 IN (SELECT key FROM cohesive_keys WHERE length = 6) THEN 6
            WHEN k5 IN (SELECT key FROM cohesive_keys WHERE length = 5) THEN 5
            WHEN k4 IN (SELECT key FROM cohesive_keys WHERE length = 4) THEN 4
            WHEN k3 IN (SELECT key::BIGINT FROM cohesive_keys WHERE length = 3) THEN 3
            WHEN k2 IN (SELECT key::BIGINT FROM cohesive_keys WHERE length = 2) THEN 2
            ELSE 0
        END AS length
    FROM keyed
),

-- Per sentence, those lengths as a list indexed by position. Every position is there once, so
-- sorting position * 8 + length puts each length at its position's index.
lengths AS (
    SELECT
        sentence_id,
        list_transform(list_sort(list(position * 8 + length)), lambda code: code % 8) AS lengths
    FROM reaches
    GROUP BY sentence_id
),

-- Boundary b, between characters b and b + 1, is joined when an occurrence starting at b - d
-- (d = 0 .. max_n - 2) is at least d + 2 long. Every lambda below reads list elements by index only:
-- DuckDB copies a whole list for each slice of it taken inside a lambda (quadratic on a long sentence).
joins AS (
    SELECT
        lengths.sentence_id,
        sentence_types.occurrences,
        string_split(sentence_types.sentence, '') AS characters,
        list_transform(lengths.lengths, lambda reach, b:
            reach >= 2
            OR (b > 1 AND lengths.lengths[b - 1] >= 3)
            OR (b > 2 AND lengths.lengths[b - 2] >= 4)
            OR (b > 3 AND lengths.lengths[b - 3] >= 5)
            OR (b > 4 AND lengths.lengths[b - 4] >= 6)
        ) AS joined
    FROM lengths
    INNER JOIN sentence_types ON sentence_types.sentence_id = lengths.sentence_id
),

pieces AS (  -- the sentence with a separator at every boundary not joined, split there; pieces in order
    SELECT
        sentence_id,
        occurrences,
        list_filter(
            range(1, len(characters)),
            lambda i: joined[i] AND (i = 1 OR NOT joined[i - 1])
        ) AS starts,
        list_filter(
            string_split(
                array_to_string(
                    list_transform(characters, lambda c, i: if(joined[i], c, c || chr(31))), ''
                ),
                chr(31)  -- never in a sentence (a run of letters of the character class)
            ),
            lambda text: length(text) >= 2
        ) AS texts
    FROM joins
)

SELECT
    sentence_id,
    occurrences AS sentence_occurrences,
    unnest(starts) AS piece_start,
    unnest(texts) AS piece,
    length(unnest(texts)) AS length
FROM pieces
