-- word_candidates: the places of the kept substrings of $n characters in one shard of the sentences
--   (the candidate counting's second pass at level $n): the edges of the EM's lattice, and the places
--   level $n + 1 reads.
-- grain: one row per kept substring of $n characters (candidate_ngrams) per shard it occurs in.
-- reads: word_sentences, word_candidates (level $n - 1, through the macro candidate_grams),
--   candidate_ngrams.
-- parameters: $n, $shard, $first_id, $last_id (the shard's sentence_id range).
-- positions: one BIGINT per place in a distinct sentence, (sentence_id << 24) + position (from 1), so
-- the text is never scanned for the candidates again. A shard at a time keeps the lists of one
-- shard in memory, not the corpus's. Level 1 is never stored: every character is a candidate, and
-- word_places reads its places from the sentences.
SELECT
    $shard::INTEGER AS shard,
    $n::INTEGER AS length,
    k.word_id,
    k.extend,
    list(g.key) AS positions
FROM candidate_grams($n, $shard, $first_id, $last_id) AS g
INNER JOIN candidate_ngrams AS k ON k.ngram = g.ngram AND k.length = $n
GROUP BY k.ngram, k.word_id, k.extend
