-- cut: step 4, the multi-character pieces of every distinct sentence.
-- grain: one row per piece of length >= 2 per distinct sentence (sentence, piece_start).
--   Characters covered by no cohesive n-gram are single-character pieces; they never become
--   candidates (length >= 2), so they are not stored.
-- reads: sentences, cohesion.
-- parameters: $max_n.
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs (sorting it cost up to a fifth of the step).
-- A boundary is joined when a cohesive n-gram occurrence covers both its characters, so a piece
-- is a maximal chain of cohesive occurrences that overlap by at least one character.
WITH sentence_types AS (
    SELECT
        row_number() OVER () AS sentence_id,
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

characters AS (
    SELECT
        sentence_id,
        occurrences,
        unnest(string_split(sentence, '')) AS character,
        generate_subscripts(string_split(sentence, ''), 1) AS position
    FROM sentence_types
),

positions AS (
    SELECT
        sentence_id,
        occurrences,
        position,
        string_agg(character, '' ORDER BY position) OVER (
            PARTITION BY sentence_id
            ORDER BY position
            ROWS BETWEEN CURRENT ROW AND $max_n - 1 FOLLOWING
        ) AS window_text
    FROM characters
),

covers AS (
    SELECT
        positions.sentence_id,
        positions.occurrences,
        positions.position AS start,
        positions.position + lengths.length - 1 AS stop
    FROM positions
    CROSS JOIN range(2, $max_n + 1) AS lengths (length)
    SEMI JOIN cohesive ON cohesive.ngram = substr(positions.window_text, 1, lengths.length)
    WHERE lengths.length <= length(positions.window_text)
),

chained AS (
    SELECT
        *,
        coalesce(
            start > max(stop) OVER (
                PARTITION BY sentence_id ORDER BY start, stop ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ),
            TRUE
        ) AS starts_piece
    FROM covers
),

numbered AS (
    SELECT
        *,
        sum(starts_piece::INTEGER) OVER (
            PARTITION BY sentence_id ORDER BY start, stop ROWS UNBOUNDED PRECEDING
        ) AS piece_no
    FROM chained
),

pieces AS (
    SELECT
        sentence_id,
        any_value(occurrences) AS sentence_occurrences,
        min(start) AS piece_start,
        max(stop) AS piece_stop
    FROM numbered
    GROUP BY sentence_id, piece_no
)

SELECT
    sentence_types.sentence,
    pieces.sentence_occurrences,
    pieces.piece_start,
    substr(sentence_types.sentence, pieces.piece_start, pieces.piece_stop - pieces.piece_start + 1) AS piece,
    pieces.piece_stop - pieces.piece_start + 1 AS length
FROM pieces
INNER JOIN sentence_types ON sentence_types.sentence_id = pieces.sentence_id
