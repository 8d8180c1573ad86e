#!/usr/bin/env python3
"""Writes the hostile-input corpus (issue 10, classes 2 and 5) replayed by
tests/core/test_hostile_inputs.cpp. Each NAME.json gets its expectation in NAME.expected:
"ok" (read and accepted) or the exact error text the CLI prints ("<file>" for the file name).
Run it again after changing it; the expectations are written by hand (see the test)."""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))

def base(**patient):
    p = {"id": "H-1", "name": "Ana Pop", "birth_date": "1970-05-06", "sex": "female"}
    p.update(patient)
    return {"format": "myoscreen.assessment", "version": 1, "patient": p,
            "date": "2026-11-20", "kind": "initial", "answers": {"nrs_now": 4}}

def write(cls, name, doc=None, text=None):
    os.makedirs(os.path.join(here, cls), exist_ok=True)
    if text is None:
        text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    mode = "wb" if isinstance(text, bytes) else "w"
    with open(os.path.join(here, cls, name + ".json"), mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(text)

# --- scripts: names every clinic meets (accepted, normalised) or refused where imported
names = {
    "romanian": "Ștefan Țurcanu", "vietnamese": "Nguyễn Thị Bằng", "azeri": "Əliyev Rəşad",
    "kazakh": "Әлихан Құнанбайұлы", "armenian": "Արամ Խաչատրյան", "georgian": "ნინო ბერიძე",
    "hebrew": "שרה כהן", "arabic": "محمد الأحمد", "greek": "Γιώργος Παπαδόπουλος",
    "chinese": "王小明", "japanese": "山田 はなこ カタカナ", "korean": "김민준",
    "combining-diaeresis": "Zoe\u0308 Ake\u0301sson", "zero-width-space": "Ana\u200b Pop",
    "zero-width-joiner": "Ana\u200d Pop", "bom-inside": "\ufeffAna Pop", "rtl-override": "Ana \u202ePop",
    "soft-hyphen": "Ana-Maria Pop\u00adescu", "devanagari": "देवनागरी", "thai": "สมชาย ใจดี",
    "emoji": "Ana \U0001F600", "private-use": "Ana \ue000", "unassigned": "Ana \u0378",
    "variation-selector": "Ana\ufe0f Pop", "line-separator": "Ana\u2028Pop",
}
for key, name in names.items():
    write("scripts", "name-" + key, base(name=name))
write("scripts", "notes-mixed-scripts", dict(base(), notes="Schmerz 3/10; боль; 痛み; כאב\nzweite Zeile\ttab"))
write("scripts", "clinician-hebrew", dict(base(), clinician="ד\"ר שרה לוי"))
write("scripts", "clinician-khmer", dict(base(), clinician="សុខ"))
write("scripts", "id-cjk", base(id="患者-7"))
write("scripts", "name-zalgo", base(name="Z" + "\u0301\u0316\u0324" * 20 + "algo"))
write("scripts", "name-only-format-chars", base(name="\u200b\u200d\ufeff"))
write("scripts", "name-hebrew-pointed", base(name="שָׁלוֹם"))

# --- control characters: refused, never echoed raw
write("control", "name-esc", base(name="Ana \u001b[31mPop"))
write("control", "name-nul", base(name="Ana\u0000Pop"))
write("control", "name-newline", base(name="Ana\nPop"))
write("control", "name-tab", base(name="Ana\tPop"))
write("control", "name-c1", base(name="Ana\u0085Pop"))
write("control", "name-del", base(name="Ana\u007fPop"))
write("control", "id-esc", base(id="H\u001b]0;owned\u0007"))
write("control", "id-newline", base(id="H-1\nH-2"))
write("control", "id-leading-space", base(id=" H-1"))
write("control", "clinician-bell", dict(base(), clinician="Dr \u0007 Who"))
write("control", "notes-esc", dict(base(), notes="fine\n\u001b[2Jcleared"))
write("control", "notes-crlf", dict(base(), notes="line one\r\nline two\rline three"))
write("control", "unknown-key-esc", dict(base(), **{"x\u001b[31m": 1}))
write("control", "unknown-item-esc", dict(base(), answers={"nrs\u001b[2J": 1}))
write("control", "kind-esc", dict(base(), kind="initial\u001b[0m"))
write("control", "date-esc", dict(base(), date="2026\u001b-11-20"))
write("control", "raw-esc-in-string", text='{"format": "myoscreen.assessment\x1b[31m"}\n')
write("control", "invalid-utf8-name", text=json.dumps(base(), ensure_ascii=False).replace("Ana Pop", "Ana \udcff").encode("utf-8", "surrogateescape"))
write("control", "ack-by-esc", dict(base(), acknowledged=[{"flag": "rf_cauda", "by": "Dr \u001b[1mX", "at": "2026-11-20T10:00:00Z"}]))

# --- size: limits of each string, many problems, many keys, numbers
write("size", "name-200", base(name="N" * 200))
write("size", "name-201", base(name="N" * 201))
write("size", "id-64", base(id="I" * 64))
write("size", "id-65", base(id="I" * 65))
write("size", "clinician-201", dict(base(), clinician="C" * 201))
write("size", "notes-20000", dict(base(), notes="x" * 20000))
write("size", "notes-20001", dict(base(), notes="x" * 20001))
write("size", "name-long-quoted", base(name="\u0915" * 5000))
write("size", "many-bad-values", dict(base(), answers={"character": ["nope"] * 1500}))
write("size", "many-unknown-keys", dict(base(), **{"k%d" % i: i for i in range(1500)}))
write("size", "many-duplicate-keys", text='{"a": 1' + ''.join(', "a": %d' % i for i in range(1500)) + '}\n')
write("size", "long-duplicate-key", text='{"%s": 1, "%s": 2}\n' % ("k" * 3000, "k" * 3000))
write("size", "number-underflow", text=json.dumps(base()).replace('"nrs_now": 4', '"nrs_now": 1e-400'))
write("size", "number-denormal", text=json.dumps(base()).replace('"nrs_now": 4', '"nrs_now": 4.9e-324'))
write("size", "number-zero-exponent", text=json.dumps(base()).replace('"nrs_now": 4', '"nrs_now": 0e-400'))
write("size", "number-overflow", text=json.dumps(base()).replace('"nrs_now": 4', '"nrs_now": 1e400'))
write("size", "date-future", dict(base(), date="2026-12-03"))
write("size", "date-tomorrow-somewhere", dict(base(), date="2026-12-02"))
write("size", "unknown-item-long", dict(base(), answers={"x" * 100000: 1}))
