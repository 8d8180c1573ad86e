-- MyoScreen on PostgreSQL, schema version 4 (issue 13): search as fast as on SQLite, and a
-- clinician's backup. Run as myoscreen_owner after 002_two_workstations.sql; it needs nothing else of 002.
--   - A search compares words byte by byte (COLLATE "C", as SQLite's BINARY), so that the
--     database's collation never changes which words a prefix matches. patient_terms' primary
--     key orders them by the database's collation (en_US.UTF-8, C.UTF-8, ...), which a range
--     of "C" comparisons cannot use: every keystroke read the whole table (a Seq Scan).
--     The key becomes a unique index in "C" order. It enforces the same uniqueness (for a
--     deterministic collation two words are equal exactly when their bytes are), and
--     ON CONFLICT DO NOTHING uses it as it used the key. A primary key cannot be made of an
--     index with a non-default collation, hence a unique index, not a key.
--     (A text_pattern_ops index would need the queries rewritten with ~>=~ and ~<~; it serves
--     the same range, so the plain "C" index was chosen.)
--   - The audit trail of one patient is read by patient (audit_by_patient, already there).
--   - The list page (patients_by_sort_name) and a history (assessments_by_patient) already
--     have the indexes they need (tests/pg/test_pg_speed.cpp checks the plans).

ALTER TABLE myoscreen.patient_terms DROP CONSTRAINT IF EXISTS patient_terms_pkey;
CREATE UNIQUE INDEX IF NOT EXISTS patient_terms_by_term
  ON myoscreen.patient_terms (term COLLATE "C", patient);
ANALYZE myoscreen.patient_terms;

-- A clinician's backup (db backup, and the verified backup delete takes first): pg_dump reads
-- each sequence's value, which needs SELECT on it; USAGE (nextval, granted in 001) is not
-- enough ("permission denied for sequence assessments_id_seq"). SELECT on a sequence reads its
-- value and changes nothing (setval needs UPDATE, which no group has).
GRANT SELECT ON ALL SEQUENCES IN SCHEMA myoscreen TO clinician;
