-- candidate_grams: the table macro of the substrings of n characters at the places the topwords
--   candidate counting reads at level n, in the sentences sentence_id first_id .. last_id.
-- grain: one row per place: candidate_grams(n, in_shard, first_id, last_id) -> (ngram VARCHAR, key
--   BIGINT, occurrences BIGINT); key packs (sentence_id << 24) + position (from 1).
-- reads: word_sentences; at n > 2 word_candidates (the places of shard in_shard at level n - 1).
-- parameters: none (created on each connection by the loader, newword/sqlfiles.py).
-- Apriori: every occurrence of an n-gram starts with an occurrence of its n - 1 first characters, so
-- an n-gram reaches the minimum count only when that prefix did and level n reads only the places of
-- the extended (n-1)-grams. Levels 1 and 2 read every place of the sentences instead (no join): nearly
-- every character is extended, and the kept 2-grams are the same (the maximum length is at least 2,
-- so a 2-gram whose first character is not extended is rarer than the minimum and no known prefix).
-- substr is linear in the position: the sentences are cut at newword.topwords.MAX_SENTENCE.
CREATE OR REPLACE TEMP MACRO candidate_grams(n, in_shard, first_id, last_id) AS TABLE
    SELECT
        substr(sentence, pos, n) AS ngram,
        (sentence_id << 24) + pos AS key,
        occurrences
    FROM (
        SELECT
            sentence_id,
            sentence,
            occurrences,
            unnest(range(1, length - n + 2)) AS pos
        FROM word_sentences
        WHERE n <= 2 AND length >= n AND sentence_id BETWEEN first_id AND last_id
    )
    UNION ALL
    SELECT
        substr(s.sentence, (p.key & 16777215)::BIGINT, n) AS ngram,
        p.key,
        s.occurrences
    FROM (
        SELECT unnest(c.positions) AS key
        FROM word_candidates AS c
        WHERE n > 2 AND c.shard = in_shard AND c.length = n - 1 AND c.extend
    ) AS p
    INNER JOIN word_sentences AS s ON s.sentence_id = p.key >> 24
    WHERE n > 2 AND s.sentence_id BETWEEN first_id AND last_id AND (p.key & 16777215) + n - 1 <= s.length
