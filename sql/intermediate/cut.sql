-- cut: step 4, the multi-character pieces of every distinct sentence.
-- grain: one row per piece of length >= 2 per distinct sentence (sentence_id, piece_start).
--   Characters covered by no cohesive n-gram are single-character pieces; they never become
--   candidates (length >= 2), so they are not stored.
-- reads: sentence_types, cohesion.
-- parameters: $max_n (at most 6).
-- A boundary is joined when a cohesive n-gram occurrence covers both its characters, so a piece
-- is a maximal chain of cohesive occurrences that overlap by at least one character.
-- Each sentence is worked on as a list, so the cost is linear in its length (no per-piece copy of
-- the sentence, no substr at a far position, no sort across sentences). No ORDER BY: an
-- intermediate table, read by joins and GROUP BYs.
WITH cohesive_by_prefix AS (  -- the cohesive n-grams, looked up by their first two characters
    SELECT
        substr(ngram, 1, 2) AS prefix,
        list(ngram) AS ngrams
    FROM cohesion
    WHERE is_cohesive AND length(ngram) <= $max_n
    GROUP BY prefix
),

windows AS (  -- the max_n characters from each position that can start an n-gram
    SELECT
        sentence_id,
        unnest(range(1, len(characters))) AS position,
        unnest(list_transform(range(1, len(characters)), lambda i: concat(  -- NULLs past the end are skipped
            characters[i], characters[i + 1],
            if($max_n >= 3, characters[i + 2], NULL), if($max_n >= 4, characters[i + 3], NULL),
            if($max_n >= 5, characters[i + 4], NULL), if($max_n >= 6, characters[i + 5], NULL)
        ))) AS window_text
    FROM (SELECT sentence_id, string_split(sentence, '') AS characters FROM sentence_types)
),

reaches AS (  -- every position that can start an n-gram: the length of the longest cohesive one there, else 0
    SELECT
        windows.sentence_id,
        windows.position,
        coalesce(list_max(list_transform(
            list_filter(cohesive_by_prefix.ngrams, lambda ngram: starts_with(windows.window_text, ngram)),
            lambda ngram: length(ngram)
        )), 0) AS length
    FROM windows
    LEFT JOIN cohesive_by_prefix ON cohesive_by_prefix.prefix = substr(windows.window_text, 1, 2)
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
        list_transform(range(1, len(lengths.lengths) + 1), lambda b:
            lengths.lengths[b] >= 2
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
                    list_transform(range(1, len(characters) + 1), lambda i: characters[i] || if(joined[i], '', chr(31))), ''
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
