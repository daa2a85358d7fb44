-- cut: step 4, the multi-character pieces of every distinct sentence.
-- grain: one row per piece of length >= 2 per distinct sentence (sentence, piece_start).
--   Characters covered by no cohesive n-gram are single-character pieces; they never become
--   candidates (length >= 2), so they are not stored.
-- reads: sentences, cohesion.
-- parameters: $max_n.
-- A boundary is joined when a cohesive n-gram occurrence covers both its characters, so a piece
-- is a maximal chain of cohesive occurrences that overlap by at least one character.
WITH sentence_types AS (
    SELECT
        sentence,
        count(*) AS occurrences
    FROM sentences
    GROUP BY sentence
),

cohesive AS (
    SELECT ngram
    FROM cohesion
    WHERE is_cohesive
),

positions AS (
    SELECT
        sentence,
        occurrences,
        unnest(generate_series(1, length(sentence) - 1)) AS start
    FROM sentence_types
    WHERE length(sentence) >= 2
),

covers AS (
    SELECT
        positions.sentence,
        positions.occurrences,
        positions.start,
        positions.start + lengths.length - 1 AS stop
    FROM positions
    CROSS JOIN range(2, $max_n + 1) AS lengths (length)
    SEMI JOIN cohesive ON cohesive.ngram = substr(positions.sentence, positions.start, lengths.length)
    WHERE positions.start + lengths.length - 1 <= length(positions.sentence)
),

chained AS (
    SELECT
        *,
        coalesce(
            start > max(stop) OVER (
                PARTITION BY sentence ORDER BY start, stop ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ),
            TRUE
        ) AS starts_piece
    FROM covers
),

numbered AS (
    SELECT
        *,
        sum(starts_piece::INTEGER) OVER (
            PARTITION BY sentence ORDER BY start, stop ROWS UNBOUNDED PRECEDING
        ) AS piece_no
    FROM chained
),

pieces AS (
    SELECT
        sentence,
        any_value(occurrences) AS sentence_occurrences,
        min(start) AS piece_start,
        max(stop) AS piece_stop
    FROM numbered
    GROUP BY sentence, piece_no
)

SELECT
    sentence,
    sentence_occurrences,
    piece_start,
    substr(sentence, piece_start, piece_stop - piece_start + 1) AS piece,
    piece_stop - piece_start + 1 AS length
FROM pieces
ORDER BY sentence, piece_start
