-- branching: the left and right neighbour entropy of every n-gram of length 1..max_n (entropy mode).
-- grain: one row per n-gram of length 1..max_n with count >= $segment_min_count.
-- reads: sentence_types (written by the sentences step).
-- parameters: $max_n (at most 6), $segment_min_count.
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs (sorting it cost up to a fifth of the step).
-- The neighbours of an occurrence are the characters just before and after it; a sentence start or
-- end is one more neighbour (chr(2), chr(3)). With c(x) the count of x and c(xa) that of x followed
-- by a: right_entropy(x) = -sum_a c(xa)/c(x) * ln(c(xa)/c(x)) = ln c(x) - sum_a c(xa) ln c(xa) / c(x),
-- and left_entropy likewise over the characters before x (Matrix67's "freedom"). Every n-gram is
-- counted here, not only those with count >= min_count: segmentation needs the rare ones too.
-- Every occurrence of an n-gram has both neighbours (a sentence edge at worst), so its count is the
-- same on both sides.
-- As in ngram_level.sql, an n-gram is an integer key (code points, 21 bits each, first character
-- highest; a BIGINT up to three characters, a HUGEINT beyond) and its neighbours are code points
-- (2 and 3 for the edges): grouping integers, not substrings of string windows built with a window
-- function over every sentence's characters in order. On People's Daily the statement went from
-- 2.40 s to 1.78 s (best of five, alternating); what is left is grouping 5.1 million occurrences by
-- n-gram and neighbour, twice.
WITH positions AS (  -- a row per character of each distinct sentence, with its neighbours
    SELECT
        occurrences,
        unnest(marked[1:len(marked) - 2]) AS before,  -- the character before it (2: the sentence starts)
        unnest(marked[2:len(marked) - 1]) AS c0,  -- the character itself, then the ones after it
        unnest(marked[3:]) AS c1,  -- (3 at the sentence's end, NULL past it)
        unnest(if($max_n >= 2, marked[4:], [])) AS c2,
        unnest(if($max_n >= 3, marked[5:], [])) AS c3,
        unnest(if($max_n >= 4, marked[6:], [])) AS c4,
        unnest(if($max_n >= 5, marked[7:], [])) AS c5,
        unnest(if($max_n >= 6, marked[8:], [])) AS c6
    FROM (
        SELECT
            occurrences,
            [2] || list_transform(string_split(sentence, ''), lambda c: unicode(c)::BIGINT) || [3] AS marked
        FROM sentence_types
    )
),

keyed AS (  -- the n-grams starting at each character, each from the last
    SELECT
        occurrences,
        before,
        c0,
        c1,
        c2,
        c3,
        c4,
        c5,
        c6,
        c0 AS k1,
        (k1 << 21) + c1 AS k2,
        (k2 << 21) + c2 AS k3,
        (k3::HUGEINT << 21) + c3 AS k4,
        (k4 << 21) + c4 AS k5,
        (k5 << 21) + c5 AS k6
    FROM positions
),

occurrences AS (  -- every occurrence of an n-gram of length 1..max_n inside a sentence, with its neighbours
    SELECT 1 AS length, k1::HUGEINT AS key, before, c1 AS after, occurrences FROM keyed
    UNION ALL
    SELECT 2, k2::HUGEINT, before, c2, occurrences FROM keyed WHERE $max_n >= 2 AND c1 <> 3
    UNION ALL
    SELECT 3, k3::HUGEINT, before, c3, occurrences FROM keyed WHERE $max_n >= 3 AND c1 <> 3 AND c2 <> 3
    UNION ALL
    SELECT 4, k4, before, c4, occurrences FROM keyed WHERE $max_n >= 4 AND c1 <> 3 AND c2 <> 3 AND c3 <> 3
    UNION ALL
    SELECT 5, k5, before, c5, occurrences FROM keyed
    WHERE $max_n >= 5 AND c1 <> 3 AND c2 <> 3 AND c3 <> 3 AND c4 <> 3
    UNION ALL
    SELECT 6, k6, before, c6, occurrences FROM keyed
    WHERE $max_n >= 6 AND c1 <> 3 AND c2 <> 3 AND c3 <> 3 AND c4 <> 3 AND c5 <> 3
),

right_pairs AS (  -- c(xa): each n-gram x with each character a after it
    SELECT
        length,
        key,
        sum(occurrences)::BIGINT AS count
    FROM occurrences
    GROUP BY length, key, after
),

left_pairs AS (  -- c(ax)
    SELECT
        length,
        key,
        sum(occurrences)::BIGINT AS count
    FROM occurrences
    GROUP BY length, key, before
),

rights AS (
    SELECT
        length,
        key,
        sum(count)::BIGINT AS count,
        ln(sum(count)) - sum(count * ln(count)) / sum(count) AS right_entropy
    FROM right_pairs
    GROUP BY length, key
    HAVING sum(count) >= $segment_min_count
),

lefts AS (
    SELECT
        length,
        key,
        ln(sum(count)) - sum(count * ln(count)) / sum(count) AS left_entropy
    FROM left_pairs
    GROUP BY length, key
    HAVING sum(count) >= $segment_min_count
)

SELECT
    array_to_string(
        list_transform(range(rights.length - 1, -1, -1), lambda j: chr(((rights.key >> (21 * j)) & 2097151)::INTEGER)), ''
    ) AS ngram,
    rights.length,
    rights.count,
    lefts.left_entropy,
    rights.right_entropy
FROM rights
INNER JOIN lefts ON lefts.length = rights.length AND lefts.key = rights.key
