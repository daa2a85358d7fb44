-- ngram_level: step 2 at length $n >= 2, the n-grams counted, given the kept n-grams of length $n - 1.
-- grain: one row per n-gram of length $n with count >= min_count.
-- reads: distinct_sentences, ngram_levels (the levels counted so far).
-- parameters: $n, $min_count.
-- Apriori: every occurrence of an n-gram contains an occurrence of its first and of its last n-1
-- characters, so an n-gram reaches min_count only when both are kept at level n-1. Only those
-- occurrences are grouped, and their counts are exact (all of their occurrences are counted).
-- An n-gram is a 128-bit integer: its code points, 21 bits each, first character highest
-- (key = sum of code[i + j] << 21 * (n - 1 - j)), so its prefix is key >> 21 and its suffix the low
-- 21 * (n - 1) bits. Integers group and join much faster than substrings; the text is rebuilt
-- from the key for the kept n-grams only.
WITH kept AS (
    SELECT
        list_sum(
            list_transform(
                range(0, length), lambda j: unicode(string_split(ngram, '')[j + 1])::HUGEINT << (21 * (length - 1 - j))
            )
        ) AS key
    FROM ngram_levels
    WHERE length = $n - 1
),

occurrences AS (
    SELECT
        unnest(
            list_transform(
                range(1, len(codes) - $n + 2),
                lambda i: (codes[i]::HUGEINT << (21 * ($n - 1)))  -- written out (n <= 6): a nested lambda cost twice as much
                    + (codes[i + 1]::HUGEINT << (21 * ($n - 2)))
                    + if($n >= 3, codes[i + 2]::HUGEINT << greatest(21 * ($n - 3), 0), 0)
                    + if($n >= 4, codes[i + 3]::HUGEINT << greatest(21 * ($n - 4), 0), 0)
                    + if($n >= 5, codes[i + 4]::HUGEINT << greatest(21 * ($n - 5), 0), 0)
                    + if($n >= 6, codes[i + 5]::HUGEINT << greatest(21 * ($n - 6), 0), 0)
            )
        ) AS key,
        occurrences
    FROM distinct_sentences
    WHERE len(codes) >= $n
),

counted AS (
    SELECT
        key,
        sum(occurrences)::BIGINT AS count
    FROM occurrences
    WHERE
        key >> 21 IN (SELECT kept.key FROM kept)
        AND key & ((1::HUGEINT << (21 * ($n - 1))) - 1) IN (SELECT kept.key FROM kept)
    GROUP BY key
    HAVING sum(occurrences) >= $min_count
)

SELECT
    array_to_string(
        list_transform(range($n - 1, -1, -1), lambda j: chr(((key >> (21 * j)) & 2097151)::INTEGER)), ''
    ) AS ngram,
    $n AS length,
    count
FROM counted
