-- lexicon: step 6, the candidates whose every substring of length 3..max_n is cohesive.
-- grain: one row per word.
-- reads: candidates, cohesion, known_words.
-- parameters: $max_n.
-- The article's 各项目 case: 各项 and 项目 are cohesive, so the cut glues 各项目, but 各项目 itself
-- is not cohesive, so it is dropped here. cohesion is the word's own score (null when longer than max_n);
-- is_known says whether the word is in the known-words list (a dictionary): the others are new.
WITH cohesive AS (
    SELECT ngram
    FROM cohesion
    WHERE is_cohesive
),

substrings AS (
    SELECT
        candidates.word,
        substr(candidates.word, starts.start, lengths.length) AS part
    FROM candidates,
        range(3, least(candidates.length, $max_n) + 1) AS lengths (length),
        range(1, candidates.length - lengths.length + 2) AS starts (start)
),

rejected AS (
    SELECT DISTINCT substrings.word
    FROM substrings
    ANTI JOIN cohesive ON cohesive.ngram = substrings.part
)

SELECT
    candidates.word,
    candidates.count,
    candidates.length,
    cohesion.cohesion,
    known_words.word IS NOT NULL AS is_known
FROM candidates
ANTI JOIN rejected ON rejected.word = candidates.word
LEFT JOIN cohesion ON cohesion.ngram = candidates.word
LEFT JOIN known_words ON known_words.word = candidates.word
ORDER BY candidates.count DESC, candidates.word
