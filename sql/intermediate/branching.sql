-- branching: the left and right neighbour entropy of every n-gram of length 1..max_n (entropy mode).
-- grain: one row per n-gram of length 1..max_n with count >= $segment_min_count.
-- reads: sentence_types (written by the sentences step).
-- parameters: $max_n, $segment_min_count.
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs (sorting it cost up to a fifth of the step).
-- The neighbours of an occurrence are the characters just before and after it; a sentence start or
-- end is one more neighbour (chr(2), chr(3)). With c(x) the count of x and c(xa) that of x followed
-- by a: right_entropy(x) = -sum_a c(xa)/c(x) * ln(c(xa)/c(x)) = ln c(x) - sum_a c(xa) ln c(xa) / c(x),
-- and left_entropy likewise over the characters before x (Matrix67's "freedom"). Every n-gram is
-- counted here, not only those with count >= min_count: segmentation needs the rare ones too.
-- Same window technique as ngram_counts, over sentences marked at both ends, one character longer.
WITH marked_sentences AS (
    SELECT
        sentence_id,
        chr(2) || sentence || chr(3) AS marked,
        occurrences
    FROM sentence_types
),

characters AS (
    SELECT
        sentence_id,
        occurrences,
        unnest(string_split(marked, '')) AS character,
        generate_subscripts(string_split(marked, ''), 1) AS position
    FROM marked_sentences
),

positions AS (
    SELECT
        occurrences,
        string_agg(character, '' ORDER BY position) OVER (
            PARTITION BY sentence_id
            ORDER BY position
            ROWS BETWEEN CURRENT ROW AND $max_n FOLLOWING
        ) AS window_text
    FROM characters
),

grams AS (
    SELECT
        substr(positions.window_text, 1, lengths.length) AS gram,
        lengths.length,
        sum(positions.occurrences)::BIGINT AS count
    FROM positions
    CROSS JOIN range(2, $max_n + 2) AS lengths (length)
    WHERE lengths.length <= length(positions.window_text)
    GROUP BY gram, lengths.length
),

rights AS (
    SELECT
        substr(gram, 1, length - 1) AS ngram,
        length - 1 AS length,
        sum(count)::BIGINT AS count,
        ln(sum(count)) - sum(count * ln(count)) / sum(count) AS right_entropy
    FROM grams
    GROUP BY ALL
),

lefts AS (
    SELECT
        substr(gram, 2) AS ngram,
        sum(count)::BIGINT AS count,
        ln(sum(count)) - sum(count * ln(count)) / sum(count) AS left_entropy
    FROM grams
    GROUP BY ALL
)

SELECT
    rights.ngram,
    rights.length,
    rights.count,
    lefts.left_entropy,
    rights.right_entropy
FROM rights
INNER JOIN lefts ON lefts.ngram = rights.ngram
WHERE
    rights.count >= $segment_min_count
    AND NOT contains(rights.ngram, chr(2))
    AND NOT contains(rights.ngram, chr(3))
