-- ngram_text: the macro that unpacks an n-gram's key (ngram_key.sql) into its text.
-- grain: a scalar: ngram_text(key, n) -> VARCHAR.
-- reads: nothing.
-- parameters: none (created on each connection by the loader, newword/sqlfiles.py).
CREATE OR REPLACE TEMP MACRO ngram_text(key, n) AS array_to_string(
    list_transform(range(n - 1, -1, -1), lambda j: chr(((key >> (21 * j)) & 2097151)::INTEGER)), ''
)
