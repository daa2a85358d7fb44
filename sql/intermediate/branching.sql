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
-- function over every sentence's characters in order: on People's Daily 2.17 s to 2.00 s (best of
-- four, alternating). No CTE is kept whole (NOT MATERIALIZED: each reader recomputes it), so DuckDB
-- can spill the two aggregates: synthetic 100 MB in 81 s with a 4.4 GB peak under the default 4 GB
-- limit (the string windows: 85 s, 4.3 GB). A UNION per length over a materialised CTE was faster on
-- People's Daily (1.78 s) but ran out of memory at 100 MB. What is left is grouping 5.1 million
-- occurrences by n-gram and neighbour, twice.
WITH positions AS NOT MATERIALIZED (  -- a row per character of each distinct sentence, with its neighbours
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

keyed AS NOT MATERIALIZED (  -- the n-grams starting at each character, each from the last
    SELECT
        *,
        c0 AS k1,
        (k1 << 21) + c1 AS k2,
        (k2 << 21) + c2 AS k3,
        (k3::HUGEINT << 21) + c3 AS k4,
        (k4 << 21) + c4 AS k5,
        (k5 << 21) + c5 AS k6
    FROM positions
),

-- every occurrence of an n-gram of length 1..max_n inside a sentence, with its neighbours: its last
-- character is not the end (3), so it has a character after it. One pass over the characters,
-- crossed with the lengths (not a UNION of a pass per length: a CTE read more than once is kept in
-- memory whole, and at 100 MB that ran DuckDB out of memory).
occurrences AS NOT MATERIALIZED (
    SELECT
        levels.length,
        CASE levels.length
            WHEN 1 THEN k1::HUGEINT WHEN 2 THEN k2::HUGEINT WHEN 3 THEN k3::HUGEINT
            WHEN 4 THEN k4 WHEN 5 THEN k5 ELSE k6
        END AS key,
        before,
        CASE levels.length WHEN 1 THEN c1 WHEN 2 THEN c2 WHEN 3 THEN c3 WHEN 4 THEN c4 WHEN 5 THEN c5 ELSE c6 END AS after,
        occurrences
    FROM keyed
    CROSS JOIN range(1, $max_n + 1) AS levels (length)
    WHERE CASE levels.length
        WHEN 1 THEN true WHEN 2 THEN c1 <> 3 WHEN 3 THEN c2 <> 3 WHEN 4 THEN c3 <> 3 WHEN 5 THEN c4 <> 3 ELSE c5 <> 3
    END
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
