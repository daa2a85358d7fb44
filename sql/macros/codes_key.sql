-- codes_key: the macro that packs the first n of six code points into an n-gram's key (ngram_key.sql).
-- grain: a scalar: codes_key(c0, c1, c2, c3, c4, c5, n) -> HUGEINT (c2 .. c5 unused below their n).
-- reads: nothing.
-- parameters: none (created on each connection by the loader, newword/sqlfiles.py).
CREATE OR REPLACE TEMP MACRO codes_key(c0, c1, c2, c3, c4, c5, n) AS
    (c0::HUGEINT << (21 * (n - 1))) + (c1::HUGEINT << (21 * (n - 2)))
    + if(n >= 3, c2::HUGEINT << greatest(21 * (n - 3), 0), 0)
    + if(n >= 4, c3::HUGEINT << greatest(21 * (n - 4), 0), 0)
    + if(n >= 5, c4::HUGEINT << greatest(21 * (n - 5), 0), 0)
    + if(n >= 6, c5::HUGEINT << greatest(21 * (n - 6), 0), 0)
