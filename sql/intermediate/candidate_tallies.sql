-- candidate_tallies: how often each substring of $n characters occurs in one shard of the sentences
--   (every shard in turn; the candidate counting's first pass at level $n).
-- grain: one row per substring (ngram) of $n characters per shard, with its count there.
-- reads: word_sentences, word_candidates (through the macro candidate_grams).
-- parameters: $n, $shard, $first_id, $last_id (the shard's sentence_id range).
-- newword.topwords.count_candidates appends every shard's rows, then candidate_ngrams sums them: a
-- count is the sum of the occurrences of the distinct sentences a substring occurs in, once per
-- place (overlapping places count each). Counting without the places keeps this pass cheap: most
-- substrings are rare and their places are never needed.
SELECT
    ngram,
    sum(occurrences)::BIGINT AS count
FROM candidate_grams($n, $shard, $first_id, $last_id)
GROUP BY ngram
