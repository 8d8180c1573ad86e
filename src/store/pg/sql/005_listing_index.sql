-- MyoScreen on PostgreSQL, schema version 5 (issue 13): the patient list's visits at practice
-- size. Run as myoscreen_owner after 004_search_index.sql; it needs nothing else.
--   Each keystroke of a search lists a page of patients with their visits: for 100 patients of
--   a 1,000,000-visit practice, about 1,000 assessment rows, each then checked for a correction
--   that replaces it. Measured on that practice (bench_pg): 8 ms of a 13 ms keystroke, because
--   assessments_by_patient (patient, date, urgency) lacks the id the check needs, so every row
--   was read from the table, and the check probed supersedes' unique index, which holds a
--   (NULL) entry for every one of the million rows.
--   - assessments_listing holds what the list reads, in the order it reads it (a patient's
--     visits newest first, dates compared as bytes): an index-only scan.
--   - assessments_superseded holds only the rows that are corrections: the check for "is this
--     row replaced?" probes a small index (supersedes' unique constraint stays, for its rule).
--   - assessments_listing leads with the patient as assessments_by_patient did, so it serves
--     every lookup by patient (a history, a deletion, the foreign key); the old index goes.
--     Kept, it was one more index written at every save, and the planner could pick it for the
--     list and read the table again.
--   tests/pg/test_pg_speed.cpp checks that the list's query uses both new indexes.

CREATE INDEX IF NOT EXISTS assessments_listing
  ON myoscreen.assessments (patient, date COLLATE "C" DESC) INCLUDE (urgency, id);
CREATE INDEX IF NOT EXISTS assessments_superseded
  ON myoscreen.assessments (supersedes) WHERE supersedes IS NOT NULL;
DROP INDEX IF EXISTS myoscreen.assessments_by_patient;
ANALYZE myoscreen.assessments;
