-- ngram_levels__characters: step 2 at length 1, the characters counted (the first level of ngram_levels).
-- grain: one row per character with count >= min_count.
-- reads: sentence_codes.
-- parameters: $min_count.
WITH characters AS (
    SELECT
        unnest(codes) AS code,
        occurrences
    FROM sentence_codes
)

SELECT
    chr(code::INTEGER) AS ngram,
    1 AS length,
    sum(occurrences)::BIGINT AS count
FROM characters
GROUP BY code
HAVING sum(occurrences) >= $min_count
