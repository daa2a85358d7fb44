-- candidate_ngrams: the substrings of $n characters the topwords candidate counting keeps at level $n:
--   the candidate words (numbered for the EM) and the substrings level $n + 1 extends.
-- grain: one row per kept substring (ngram) of $n characters: a candidate word (every single
--   character; a longer substring occurring >= $min_count times; a known word occurring at all), or
--   a substring level $n + 1 extends (see `extend`).
-- reads: candidate_tallies (level $n, per shard), known_prefixes.
-- parameters: $n, $min_count, $max_len, $first_word_id (the number of candidates of the levels before).
-- word_id: $first_word_id, $first_word_id + 1, ... over the candidates by ngram (NULL when only
-- extended). known_prefixes(word, known, proper): every prefix of every known word (known: it is a
-- known word itself; proper: it is a prefix of a longer known word). Empty without a dictionary. A
-- known word is a candidate however rarely it occurs (the dictionary prior), and the places of its
-- prefixes are extended past $min_count and $max_len so that it is found.
WITH counted AS (
    SELECT
        ngram,
        sum(count)::BIGINT AS count
    FROM candidate_tallies
    GROUP BY ngram
),

flagged AS (
    SELECT
        c.ngram,
        c.count,
        coalesce(k.known, FALSE) AS known,
        ($n = 1 OR c.count >= $min_count OR coalesce(k.known, FALSE)) AS candidate,
        (($n < $max_len AND c.count >= $min_count) OR coalesce(k.proper, FALSE)) AS extend
    FROM counted AS c
    LEFT JOIN (  -- only the prefixes of $n characters can match: a smaller hash table at every level
        SELECT *
        FROM known_prefixes
        WHERE length(word) = $n
    ) AS k ON k.word = c.ngram
)

SELECT
    ngram,
    $n::INTEGER AS length,
    count,
    known,
    candidate,
    extend,
    CASE WHEN candidate THEN $first_word_id + row_number() OVER (PARTITION BY candidate ORDER BY ngram) - 1 END AS word_id
FROM flagged
WHERE candidate OR extend
