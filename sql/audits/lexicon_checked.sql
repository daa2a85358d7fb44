-- lexicon_checked: the lexicon with what its expectation suite compares each word against.
-- grain: one row per word of the lexicon.
-- reads: lexicon, ngram_counts, cohesion.
-- parameters: $max_n, $mode, $pattern (the sentence regex: a run of the character class).
-- ngram_count is the word's own n-gram count (NULL when longer than max_n); a word occurs at least
-- as often as an n-gram as it does as a piece of the cut. non_cohesive_part_count counts the
-- substrings of length 3..max_n that are not cohesive n-grams (must be 0; not a rule of the topwords
-- mode, whose words are kept by their significance instead: 0 there).
WITH cohesive AS (
    SELECT ngram
    FROM cohesion
    WHERE is_cohesive
),

parts AS (
    SELECT
        lexicon.word,
        substr(lexicon.word, starts.start, lengths.length) AS part
    FROM lexicon,
        range(3, least(lexicon.length, $max_n) + 1) AS lengths (length),
        range(1, lexicon.length - lengths.length + 2) AS starts (start)
),

non_cohesive_parts AS (
    SELECT
        parts.word,
        count(*) AS non_cohesive_part_count
    FROM parts
    ANTI JOIN cohesive ON cohesive.ngram = parts.part
    WHERE $mode <> 'topwords'
    GROUP BY parts.word
)

SELECT
    lexicon.word,
    lexicon.count,
    lexicon.length,
    length(lexicon.word) AS character_length,
    coalesce(regexp_full_match(lexicon.word, $pattern), FALSE) AS has_only_class_characters,
    lexicon.cohesion,
    lexicon.is_known,
    ngram_counts.count AS ngram_count,
    coalesce(non_cohesive_parts.non_cohesive_part_count, 0) AS non_cohesive_part_count,
    lexicon.length <= $max_n AND ngram_counts.count IS NULL AS missing_own_ngram
FROM lexicon
LEFT JOIN ngram_counts ON ngram_counts.ngram = lexicon.word
LEFT JOIN non_cohesive_parts ON non_cohesive_parts.word = lexicon.word
ORDER BY lexicon.count DESC, lexicon.word
