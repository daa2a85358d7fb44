-- sentence_codes: each distinct sentence once, with how often it occurs and its characters as
-- code points (the input of n-gram counting: each distinct sentence is read once and weighted by
-- its occurrences).
-- grain: one row per distinct sentence (the sentence itself is not kept: counting reads its codes).
-- reads: sentence_types (written by the sentences step).
-- parameters: none.
-- codes[i] is the Unicode code point of the i-th character (below 2^21): ngram_level packs up to
-- six of them into one 128-bit integer key, so n-grams are counted and joined as integers.
SELECT
    occurrences,
    list_transform(string_split(sentence, ''), lambda c: unicode(c)::UINTEGER) AS codes
FROM sentence_types
