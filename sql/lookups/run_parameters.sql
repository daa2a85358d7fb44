-- run_parameters: the settings recorded with a warehouse's build, to validate it with the same ones.
-- grain: one row.
-- reads: run.
-- parameters: none.
SELECT parameters
FROM run
