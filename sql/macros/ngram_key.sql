-- ngram_key: the macro that packs an n-gram's text into its 128-bit key.
-- grain: a scalar: ngram_key(text) -> HUGEINT.
-- reads: nothing.
-- parameters: none (created on each connection by the loader, newword/sqlfiles.py).
-- A key holds the code points, 21 bits each, first character highest (key = sum of
-- code[j] << 21 * (n - 1 - j)), so its prefix is key >> 21; six characters fill 126 bits.
-- Integers group and join much faster than substrings.
CREATE OR REPLACE TEMP MACRO ngram_key(ngram) AS list_sum(
    list_transform(
        range(0, length(ngram)), lambda j: unicode(string_split(ngram, '')[j + 1])::HUGEINT << (21 * (length(ngram) - 1 - j))
    )
)
