-- next_key: the macro that extends an n-gram's key (ngram_key.sql) by one character's code point.
-- grain: a scalar: next_key(key, code) -> the key of the (n + 1)-gram, of key's type.
-- reads: nothing.
-- parameters: none (created on each connection by the loader, newword/sqlfiles.py).
-- Up to three characters fit in a BIGINT (63 bits); a caller casts to HUGEINT before the fourth.
CREATE OR REPLACE TEMP MACRO next_key(key, code) AS (key << 21) + code
