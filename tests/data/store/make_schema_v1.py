#!/usr/bin/env python3
"""Builds schema_v1.db: a database exactly as MyoScreen's schema version 1 wrote it.

Kept in git next to its output so the migration test always has a version-1 file; rerun only
if the fixture itself must change (never when the schema moves on: add a new fixture then).
Uses Python's own sqlite3 module, independent of the code under test.

    python3 tests/data/store/make_schema_v1.py
"""
import json
import os
import sqlite3

HERE = os.path.dirname(os.path.abspath(__file__))
VIGNETTES = os.path.join(HERE, "..", "vignettes")
OUT = os.path.join(HERE, "schema_v1.db")

# Identical to migrate_to_1 in src/store/schema.cpp (the test compares sqlite_master).
SCHEMA_V1 = """
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  sex TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE assessments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  patient INTEGER NOT NULL REFERENCES patients(id),
  visit INTEGER NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  supersedes INTEGER UNIQUE REFERENCES assessments(id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
  date TEXT NOT NULL,
  kind TEXT,
  nrs_now INTEGER,
  nrs_average INTEGER,
  wpi INTEGER,
  sss INTEGER,
  fs INTEGER,
  tender_count INTEGER,
  urgency TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finalized_at TEXT,
  document TEXT NOT NULL,
  UNIQUE (visit, version)
);
CREATE INDEX assessments_by_patient ON assessments (patient, date, urgency);
CREATE TRIGGER final_assessments_are_not_updated BEFORE UPDATE ON assessments
  WHEN OLD.status = 'final'
  BEGIN SELECT RAISE(ABORT, 'a final assessment cannot be changed'); END;
CREATE TRIGGER final_assessments_are_not_deleted BEFORE DELETE ON assessments
  WHEN OLD.status = 'final'
  BEGIN SELECT RAISE(ABORT, 'a final assessment cannot be deleted'); END;
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
"""


def vignette(name):
    with open(os.path.join(VIGNETTES, name), encoding="utf-8") as f:
        return json.load(f)


def document(v):
    # nlohmann's dump(1) and this give the same text for these files (the test checks it).
    return json.dumps(v["input"], indent=1, ensure_ascii=False) + "\n"


def main():
    if os.path.exists(OUT):
        os.remove(OUT)
    db = sqlite3.connect(OUT, isolation_level=None)
    db.execute("PRAGMA application_id = 1297698643")  # 0x4D594F53, "MYOS"
    db.executescript(SCHEMA_V1)
    db.execute("BEGIN")
    stamp = "2026-11-20T09:00:00.000Z"
    rows = [
        ("v1_widespread_chronic.json", "final", 1),
        ("v5_desk_trapezius.json", "draft", 2),
    ]
    for pid, (name, status, patient_row) in enumerate(rows, start=1):
        v = vignette(name)
        p = v["input"]["patient"]
        e = v["expected"]
        db.execute("INSERT INTO patients VALUES (?, ?, ?, ?, ?, ?)",
                   (patient_row, p["id"], p["name"], p["birth_date"], p.get("sex"), stamp))
        answers = v["input"]["answers"]
        db.execute(
            "INSERT INTO assessments (id, patient, visit, version, supersedes, status, document, "
            "date, kind, nrs_now, nrs_average, wpi, sss, fs, tender_count, urgency, rules_version, "
            "created_at, updated_at, finalized_at) "
            "VALUES (?, ?, ?, 1, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (pid, patient_row, pid, status, document(v), v["input"]["date"], v["input"].get("kind"),
             answers.get("nrs_now"), answers.get("nrs_average"), e["acr2016"]["wpi"],
             e["acr2016"]["sss"], e["acr2016"]["fs"], e["acr1990"]["tender_count"], e["urgency"],
             "2026.1", stamp, stamp, stamp if status == "final" else None))
    db.execute("INSERT INTO settings VALUES ('clinic_name', 'Clínica Ñandú')")
    db.execute("INSERT INTO settings VALUES ('clinician_name', 'Dr T. Okafor')")
    db.execute("PRAGMA user_version = 1")
    db.execute("COMMIT")
    db.close()


if __name__ == "__main__":
    main()
