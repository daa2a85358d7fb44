-- word_neighbours: the characters next to the uses of each word in the cut (topwords mode).
-- grain: one row per candidate word of 2+ characters the cut uses.
-- reads: candidate_words, neighbour_counts (numpy arrays from newword.topwords.Neighbours, registered
--   by the pipeline while it cuts).
-- parameters: none.
-- left_variety, right_variety: the different characters seen before and after its uses (a
-- sentence's start or end counting as one); has_fixed_neighbour: every use has the same character
-- on one side (not a sentence's start or end), as a fragment of a longer unit has (国务院副总, always
-- before 理).
SELECT
    candidate_words.word,
    neighbour_counts.left_variety,
    neighbour_counts.right_variety,
    neighbour_counts.has_fixed_neighbour
FROM neighbour_counts
INNER JOIN candidate_words ON candidate_words.word_id = neighbour_counts.word_id
