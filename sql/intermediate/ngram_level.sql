-- ngram_level: step 2 at length $n >= 2, the n-grams counted, given the kept n-grams of length $n - 1.
-- grain: one row per n-gram of length $n with count >= min_count.
-- reads: sentence_codes, ngram_levels (the levels counted so far).
-- parameters: $n, $min_count.
-- Apriori: every occurrence of an n-gram contains an occurrence of its first n-1 characters, so an
-- n-gram reaches min_count only when that prefix is kept at level n-1. Only those occurrences are
-- grouped, and their counts are exact (all of their occurrences are counted). The filter changes
-- no result, only the rows grouped: at n = 2 it removed few of them and cost more than it saved,
-- and a second filter on the suffix (also implied) cost more than it saved at every n.
-- An n-gram is counted as its 128-bit key (sql/macros/ngram_key.sql: its prefix is key >> 21); the
-- text is rebuilt from the key for the kept n-grams only.
WITH kept AS (
    SELECT ngram_key(ngram) AS key
    FROM ngram_levels
    WHERE length = $n - 1
),

occurrences AS (  -- every n-gram occurrence's key, weighted by its sentence's occurrences
    SELECT
        codes_key(c0, c1, c2, c3, c4, c5, $n) AS key,
        occurrences
    FROM (
        -- c0 .. c(n-1): the codes shifted by 0 .. n-1 (n <= 6). Unnesting slices side by side is a
        -- copy; reading codes[i + j] in a lambda per position cost a third more.
        SELECT
            unnest(codes[1:len(codes) - $n + 1]) AS c0,
            unnest(codes[2:len(codes) - $n + 2]) AS c1,
            unnest(if($n >= 3, codes[3:len(codes) - $n + 3], [])) AS c2,
            unnest(if($n >= 4, codes[4:len(codes) - $n + 4], [])) AS c3,
            unnest(if($n >= 5, codes[5:len(codes) - $n + 5], [])) AS c4,
            unnest(if($n >= 6, codes[6:len(codes) - $n + 6], [])) AS c5,
            occurrences
        FROM sentence_codes
        WHERE len(codes) >= $n
    )
),

counted AS (
    SELECT
        key,
        sum(occurrences)::BIGINT AS count
    FROM occurrences
    WHERE $n = 2 OR key >> 21 IN (SELECT kept.key FROM kept)
    GROUP BY key
    HAVING sum(occurrences) >= $min_count
)

SELECT
    ngram_text(key, $n) AS ngram,
    $n AS length,
    count
FROM counted
