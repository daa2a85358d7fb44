-- word_candidates: level $n of the TopWORDS candidate words: the substrings of $n characters of the
--   distinct sentences, counted, with the places they occur (the lattice of the EM in newword.topwords).
-- grain: one row per substring (ngram) of $n characters kept at level $n: a candidate word (every
--   single character; a longer substring occurring >= $min_count times; a known word occurring at
--   all), or a substring that level $n + 1 extends (see `extend`).
-- reads: word_sentences, known_prefixes, word_candidates (the levels 1 .. $n - 1 made so far).
-- parameters: $n (1, 2, ... in turn), $min_count, $max_len.
-- Apriori, run once per level: create word_candidates empty (a TEMP table: ngram VARCHAR, length
-- INTEGER, count BIGINT, known, candidate, extend BOOLEAN, positions BIGINT[]), then INSERT INTO this
-- statement at $n = 1, 2, ... while the level before has a row with `extend` (at most $max_len
-- levels, unless known words are longer). newword.topwords.count_candidates runs the loop.
-- Every occurrence of an n-gram starts with an occurrence of its n - 1 first characters, so an
-- n-gram reaches $min_count only when that prefix did: level $n reads only the occurrences of the
-- extended (n-1)-grams, not every position of the text, and its counts are exact (all occurrences of
-- a prefix are listed). Levels 1 and 2 read every place straight from the sentences instead, which
-- spares level 2 the join with them: nearly every character is extended, and the rows kept are the
-- same (when $max_len >= 2, a 2-gram whose first character is not extended is rarer than $min_count
-- and no prefix of a known word). A substring's count is the sum of the occurrences of the distinct
-- sentences it occurs in, once per place (overlapping places count each).
-- positions: one BIGINT per place in a distinct sentence, (sentence_id << 24) + position (position
-- from 1). They are what the EM's lattice is built from, so the text is never scanned for the
-- candidates again. substr is linear in the position: give it sentences cut at
-- newword.topwords.MAX_SENTENCE (1024) characters, or a long run is quadratic.
-- known_prefixes(word, known, proper): every prefix of every known word (known: it is a known word
-- itself; proper: it is a prefix of a longer known word). Empty without a dictionary. A known word
-- is a candidate however rarely it occurs (the dictionary prior), and the places of its prefixes are
-- extended past $min_count and $max_len so that it is found.
WITH grams AS (  -- the n-gram at each place that fits in its sentence, weighted by the sentence's occurrences
    SELECT  -- $n = 1: the characters, straight from the sentences (no join)
        unnest(string_split(sentence, '')) AS ngram,
        (sentence_id << 24) + generate_subscripts(string_split(sentence, ''), 1) AS key,
        occurrences
    FROM word_sentences
    WHERE $n = 1
    UNION ALL
    SELECT  -- $n = 2: every place of the sentences (no join)
        substr(sentence, pos, 2) AS ngram,
        (sentence_id << 24) + pos AS key,
        occurrences
    FROM (
        SELECT
            sentence_id,
            sentence,
            occurrences,
            unnest(range(1, length)) AS pos
        FROM word_sentences
        WHERE $n = 2 AND $max_len >= 2
    )
    UNION ALL
    SELECT  -- $n > 2 (2 too if $max_len < 2): the places of the extended (n-1)-grams, one character longer
        substr(s.sentence, (p.key & 16777215)::BIGINT, $n) AS ngram,
        p.key,
        s.occurrences
    FROM (
        SELECT unnest(positions) AS key
        FROM word_candidates
        WHERE ($n > 2 OR ($n = 2 AND $max_len < 2)) AND length = $n - 1 AND extend
    ) AS p
    INNER JOIN word_sentences AS s ON s.sentence_id = p.key >> 24
    WHERE (p.key & 16777215) + $n - 1 <= s.length
),

counted AS (
    SELECT
        ngram,
        sum(occurrences)::BIGINT AS count,
        list(key) AS positions
    FROM grams
    GROUP BY ngram
),

flagged AS (
    SELECT
        c.ngram,
        c.count,
        coalesce(k.known, FALSE) AS known,
        ($n = 1 OR c.count >= $min_count OR coalesce(k.known, FALSE)) AS candidate,
        (($n < $max_len AND c.count >= $min_count) OR coalesce(k.proper, FALSE)) AS extend,
        c.positions
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
    positions
FROM flagged
WHERE candidate OR extend
