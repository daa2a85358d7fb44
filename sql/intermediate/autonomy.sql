-- autonomy: how much an n-gram behaves like a word, from its neighbour entropies (entropy mode).
-- grain: one row per n-gram of branching.
-- reads: branching.
-- parameters: none.
-- No ORDER BY: an intermediate table, read by joins and GROUP BYs (sorting it cost up to a fifth of the step).
-- nVBE (Magistry & Sagot 2012): the variation of branching entropy is the entropy gained by adding
-- the n-gram's last character (right) or first character (left) to its shorter part, which is x
-- without that character (for one character: the entropy of the character distribution itself).
-- Each variation is standardised among n-grams of the same length (minus the mean, over the
-- population standard deviation), and autonomy = the standardised left plus right variation.
-- The shorter part of a counted n-gram occurs at least as often, so it is in branching too.
WITH characters AS (
    SELECT ln(sum(count)) - sum(count * ln(count)) / sum(count) AS entropy
    FROM branching
    WHERE length = 1
),

variations AS (
    SELECT
        branching.ngram,
        branching.length,
        branching.count,
        branching.right_entropy - coalesce(heads.right_entropy, characters.entropy) AS right_variation,
        branching.left_entropy - coalesce(tails.left_entropy, characters.entropy) AS left_variation
    FROM branching
    CROSS JOIN characters
    LEFT JOIN branching AS heads
        ON branching.length > 1 AND heads.ngram = substr(branching.ngram, 1, branching.length - 1)
    LEFT JOIN branching AS tails
        ON branching.length > 1 AND tails.ngram = substr(branching.ngram, 2)
),

standardised AS (
    SELECT
        ngram,
        length,
        count,
        (right_variation - avg(right_variation) OVER lengths) / nullif(stddev_pop(right_variation) OVER lengths, 0) AS right_score,
        (left_variation - avg(left_variation) OVER lengths) / nullif(stddev_pop(left_variation) OVER lengths, 0) AS left_score
    FROM variations
    WINDOW lengths AS (PARTITION BY length)
)

SELECT
    ngram,
    length,
    count,
    coalesce(left_score, 0) + coalesce(right_score, 0) AS autonomy
FROM standardised
