-- cut: step 4, the multi-character pieces of every distinct sentence.
-- grain: one row per piece of length >= 2 per distinct sentence (sentence_id, piece_start).
--   Characters covered by no cohesive n-gram are single-character pieces; they never become
--   candidates (length >= 2), so they are not stored.
-- reads: sentence_types, cohesion.
-- parameters: $max_n (at most 6).
-- A boundary is joined when a cohesive n-gram occurrence covers both its characters, so a piece
-- is a maximal chain of cohesive occurrences that overlap by at least one character.
-- The longest cohesive n-gram at each position is found by hash lookups of integer keys (as
-- ngram_level's). Per sentence, those occurrences are then chained as one list sorted by position,
-- reading list elements by index only (DuckDB copies a whole list for each slice of it taken inside
-- a lambda: quadratic on a long sentence), so the cost is linear in the sentence's length (no
-- per-piece copy of the sentence, no substr at a far position, no sort across sentences).
-- Integer keys rather than string windows, and only the occurrences chained: both measured faster.
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs.
WITH cohesive_keys AS (  -- the cohesive n-grams as keys (sql/macros/ngram_key.sql)
    SELECT
        ngram_key(ngram) AS key,
        length(ngram) AS length
    FROM cohesion
    WHERE is_cohesive AND length(ngram) <= $max_n
),

positions AS (  -- a row per position: the codes of the characters there and after (NULL past the end)
    SELECT
        sentence_id,
        unnest(range(1, len(codes) + 1)) AS position,
        unnest(codes) AS c0,
        unnest(codes[2:]) AS c1,  -- unnesting shifted slices side by side is a copy, linear
        unnest(if($max_n >= 3, codes[3:], [])) AS c2,
        unnest(if($max_n >= 4, codes[4:], [])) AS c3,
        unnest(if($max_n >= 5, codes[5:], [])) AS c4,
        unnest(if($max_n >= 6, codes[6:], [])) AS c5
    FROM (
        SELECT
            sentence_id,
            list_transform(string_split(sentence, ''), lambda c: unicode(c)::BIGINT) AS codes
        FROM sentence_types
    )
),

keyed AS (  -- the keys of the n-grams starting at each position that can start one (n = 2 .. 6)
    SELECT
        sentence_id,
        position,
        -- Each key from the last (fewer operations); BIGINT up to three characters, as HUGEINT arithmetic is slower.
        next_key(c0, c1) AS k2,
        next_key(k2, c2) AS k3,
        next_key(k3::HUGEINT, c3) AS k4,
        next_key(k4, c4) AS k5,
        next_key(k5, c5) AS k6
    FROM positions
    WHERE c1 IS NOT NULL
),

reaches AS (  -- every position that can start an n-gram: the length of the longest cohesive one there, else 0
    SELECT
        sentence_id,
        position,
        CASE  -- a hash lookup per length (to max_n: there are no longer cohesive n-grams)
            WHEN k6 IN (SELECT key FROM cohesive_keys WHERE length = 6) THEN 6
            WHEN k5 IN (SELECT key FROM cohesive_keys WHERE length = 5) THEN 5
            WHEN k4 IN (SELECT key FROM cohesive_keys WHERE length = 4) THEN 4
            WHEN k3 IN (SELECT key::BIGINT FROM cohesive_keys WHERE length = 3) THEN 3
            WHEN k2 IN (SELECT key::BIGINT FROM cohesive_keys WHERE length = 2) THEN 2
            ELSE 0
        END AS length
    FROM keyed
),

-- Per sentence, its cohesive occurrences as one list sorted by position: position * 8 + length
-- (lengths are below 8), so sorting the codes sorts the positions and each code holds both.
occurrence_lists AS (
    SELECT
        sentence_id,
        list_sort(list(position * 8 + length)) AS codes
    FROM reaches
    WHERE length >= 2
    GROUP BY sentence_id
),

-- An occurrence at p extends the piece before it when an earlier occurrence ends at or after p. Only
-- the four before it can: at most six long, one that reaches p starts at p - 5 or after; one at p - 1
-- reaches p; so the occurrences between a reaching one and p lie in p - 4 .. p - 2, three at most.
chains AS (
    SELECT
        listed.sentence_id,
        sentence_types.occurrences,
        sentence_types.sentence,
        -- a long sentence's characters, for its pieces' texts (substr counts characters from the start)
        CASE WHEN length(sentence_types.sentence) > 2048 THEN string_split(sentence_types.sentence, '') END AS characters,
        codes,
        ends,
        list_transform(codes, lambda code, i: greatest(  -- the last character reached before it, or 0
            if(i > 1, ends[i - 1], 0),
            if(i > 2, ends[i - 2], 0),
            if(i > 3, ends[i - 3], 0),
            if(i > 4, ends[i - 4], 0)
        )) AS reached
    FROM (
        SELECT
            sentence_id,
            codes,
            list_transform(codes, lambda code: code // 8 + code % 8 - 1) AS ends  -- each one's last character
        FROM occurrence_lists
    ) AS listed
    INNER JOIN sentence_types ON sentence_types.sentence_id = listed.sentence_id
),

-- A piece starts at an occurrence nothing before it reaches, and ends at its last occurrence (the
-- next one starts a piece, or there is none) or further, where one of the four before it ends.
pieces AS (
    SELECT
        sentence_id,
        occurrences,
        sentence,
        characters,
        list_filter(
            list_transform(codes, lambda code, i: if(reached[i] < code // 8, code // 8, 0)),
            lambda start: start > 0
        ) AS starts,
        list_filter(
            list_transform(codes, lambda code, i:
                if(i = len(codes) OR reached[i + 1] < codes[i + 1] // 8, greatest(ends[i], reached[i]), 0)
            ),
            lambda last: last > 0
        ) AS lasts
    FROM chains
)

SELECT
    sentence_id,
    occurrences AS sentence_occurrences,
    unnest(starts) AS piece_start,
    -- A piece's text: substr, unless the sentence is long. substr finds a character position by reading
    -- from the start of the string, so on a 400,000-character sentence substr per piece is quadratic;
    -- there the characters are read from its list by index (linear, but slower on short sentences).
    unnest(if(characters IS NULL,
        list_transform(starts, lambda start, k: substr(sentence, start, lasts[k] - start + 1)),
        list_transform(starts, lambda start, k:
            array_to_string(list_transform(range(start, lasts[k] + 1), lambda j: characters[j]), '')
        )
    )) AS piece,
    unnest(list_transform(starts, lambda start, k: lasts[k] - start + 1)) AS length
FROM pieces
