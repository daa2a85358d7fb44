-- known_prefixes: every prefix of every known word, for counting the topwords candidates.
-- grain: one row per prefix (word); known: it is a known word itself; proper: it is a prefix of a
--   longer known word (word_candidates extends its places so that the known word is found).
-- reads: known_words.
-- parameters: $pattern (a known word counts only when it is one run of the character class).
SELECT
    prefix AS word,
    bool_or(length(prefix) = length(word)) AS known,
    bool_or(length(prefix) < length(word)) AS proper
FROM (
    SELECT
        word,
        substr(word, 1, unnest(range(1, length(word) + 1))) AS prefix
    FROM known_words
    WHERE regexp_full_match(word, $pattern)
)
GROUP BY prefix
