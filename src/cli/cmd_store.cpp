#include <fstream>
#include <ostream>

#include "cli/commands.hpp"
#include "cli/fhir_verbs.hpp"
#include "cli/store_output.hpp"
#include "core/assessment.hpp"
#include "core/comparison.hpp"
#include "core/text_fold.hpp"
#include "core/text_input.hpp"
#include "fileio/output_file.hpp"
#include "store/paths.hpp"
#include "store/store.hpp"

namespace myo::cli {

namespace {

namespace fs = std::filesystem;

std::string dash(const std::optional<int>& v) {
    return v ? std::to_string(*v) : "-";
}
Json json_or_null(const std::optional<int>& v) {
    return v ? Json(*v) : Json(nullptr);
}
Json json_or_null(const std::optional<std::string>& v) {
    return v ? Json(*v) : Json(nullptr);
}

// --- import

void add_import(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "import", "Store assessment files (all or nothing); the patient is matched by patient.id");
    auto files = std::make_shared<std::vector<std::string>>();
    cmd->add_option("FILE", *files, "Assessment files (JSON)")->required();
    auto fhir = std::make_shared<bool>(false);
    cmd->add_flag("--fhir", *fhir,
                  "The files are FHIR R4 Bundles holding a QuestionnaireResponse made against "
                  "MyoScreen's Questionnaire: each is stored as a new draft");
    cmd->callback([&ctx, &runner, files, fhir]() {
        runner = [&ctx, files, fhir]() {
            if (*fhir) {
                return import_fhir(ctx, *files);
            }
            return guarded(ctx, [&ctx, files]() {
                const Definitions& defs = ctx.definitions();
                // Every file is read before anything is stored, so one bad file stores nothing.
                std::vector<Assessment> assessments;
                std::string problems;
                for (const auto& file : *files) {
                    try {
                        assessments.push_back(read_assessment_file(file, defs));
                    } catch (const ProblemsError& e) {
                        problems += e.lines();
                    }
                }
                if (!problems.empty()) {
                    *ctx.err << problems;
                    return kExitInvalid;
                }
                auto store = open_store(ctx);
                std::vector<store::ImportResult> results;
                try {
                    results = store->import_assessments(assessments);
                } catch (const store::PatientConflict& e) {
                    throw ProblemsError((*files)[e.index()], e.problems());
                }
                for (std::size_t i = 0; i < results.size(); ++i) {
                    const auto& r = results[i];
                    const Assessment& a = assessments[i];
                    if (r.already_stored) {
                        *ctx.out << (*files)[i] << ": already stored as assessment " << r.id
                                 << "\n";
                    } else {
                        *ctx.out << (*files)[i] << ": stored as assessment " << r.id << " (patient "
                                 << a.patient.id << (r.patient_created ? ", new" : "") << ", "
                                 << a.date << ")\n";
                    }
                }
                return kExitOk;
            });
        };
    });
}

// --- export

constexpr std::string_view kExportNote = "export never overwrites a file";

// 0600 like the database (an export is a health record too), never over an existing file, the
// database or an input, and never a stray partial file (fileio).
void write_new_file(const fs::path& path, const std::string& text,
                    const fileio::ProtectedSet& protect) {
    fileio::write_file(path, text, protect, fileio::Existing::Refuse, kExportNote);
}

// The measures of every final visit, for clinics that audit outcomes in a spreadsheet.
int export_csv(Context& ctx, store::Store& store, const std::string& patient,
               const std::string& out_dir) {
    std::vector<Assessment> visits;
    for (auto& v : store.final_visits(patient)) {
        visits.push_back(std::move(v.assessment));
    }
    if (visits.empty()) {
        throw store::NotFound("patient \"" + patient + "\" has no final assessment to export");
    }
    std::string text = comparison_to_csv(measures_over_time(ctx.definitions(), visits));
    if (out_dir.empty()) {
        *ctx.out << text;
        store.record_event(store::audit_action::kExport, {patient, std::nullopt},
                           "measures over time exported as CSV to standard output");
        return kExitOk;
    }
    fs::path path = fs::path(out_dir) / (fileio::safe_file_part(patient) + "_measures.csv");
    const auto protect = protected_targets(ctx);
    store::create_private_directories(path.parent_path());
    write_new_file(path, text, protect);
    store.record_event(store::audit_action::kExport, {patient, std::nullopt},
                       "measures over time exported as CSV to " + path.string());
    *ctx.out << path.string() << "\n";
    return kExitOk;
}

void add_export(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "export", "Write stored assessments back as files that re-import identically");
    auto patient = std::make_shared<std::string>();
    auto number = std::make_shared<std::int64_t>(0);
    auto out_dir = std::make_shared<std::string>();
    auto* by_patient = cmd->add_option(
        "--patient", *patient,
        "Patient id: writes the newest final version of each of the patient's visits");
    auto* by_number = cmd->add_option("--assessment", *number, "Assessment number (from 'history')")
                          ->check(CLI::PositiveNumber);
    by_patient->excludes(by_number);
    auto csv = std::make_shared<bool>(false);
    cmd->add_flag("--csv", *csv,
                  "With --patient: the patient's measures over time as CSV (one row per visit), "
                  "on standard output or as <ID>_measures.csv in --out");
    cmd->add_option("-o,--out", *out_dir,
                    "Folder for the files (--patient: default the current folder; --assessment: "
                    "default standard output; with --fhir --assessment: the Bundle's file)");
    auto fhir = std::make_shared<FhirExportOptions>();
    // Captured by the callback below, so the flag's storage lives as long as the parser that
    // writes it (a bool owned by this function alone was written after it returned; ASan:
    // heap-use-after-free).
    auto as_fhir_flag = std::make_shared<bool>(false);
    auto* fhir_flag = cmd->add_flag(
        "--fhir", *as_fhir_flag, "HL7 FHIR R4 Bundles (README, FHIR) instead of assessment files");
    cmd->add_option("--id-system", fhir->id_system,
                    "With --fhir: the patient id's identifier system URI (default: the setting "
                    "'settings --fhir-id-system')");
    cmd->add_flag_callback(
        "--no-referral", [fhir] { fhir->referral = false; },
        "With --fhir: leave the referral note PDF out");
    cmd->callback([&ctx, &runner, patient, number, out_dir, by_patient, by_number, csv, fhir,
                   fhir_flag, as_fhir_flag]() {
        if (by_patient->count() == 0 && by_number->count() == 0) {
            throw CLI::ValidationError("export", "name --patient ID or --assessment N");
        }
        if (*csv && by_patient->count() == 0) {
            throw CLI::ValidationError("export", "--csv goes with --patient ID");
        }
        if (*csv && fhir_flag->count() > 0) {
            throw CLI::ValidationError("export", "--csv and --fhir exclude each other");
        }
        bool single = by_number->count() > 0;
        const bool as_fhir = fhir_flag->count() > 0;
        runner = [&ctx, patient, number, out_dir, single, csv, as_fhir, fhir]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                if (store->read_only()) {
                    // An export is recorded in the audit trail; refuse before writing a file.
                    throw store::ReadOnlyStore(
                        "an export is recorded in the audit trail, which a read-only opening "
                        "cannot write; nothing was exported");
                }
                if (*csv) {
                    return export_csv(ctx, *store, *patient, *out_dir);
                }
                if (as_fhir) {
                    std::vector<store::AssessmentInfo> chosen;
                    if (single) {
                        chosen.push_back(store->info(*number));
                    } else {
                        chosen = store->current_finals(*patient);
                        if (chosen.empty()) {
                            throw store::NotFound("patient \"" + *patient +
                                                  "\" has no final assessment to export");
                        }
                    }
                    return export_fhir(ctx, *store, chosen, single, *out_dir, *fhir);
                }
                std::vector<store::AssessmentInfo> items;
                if (single) {
                    items.push_back(store->info(*number));
                    if (out_dir->empty()) {
                        // load() parses the stored document: a damaged one is refused
                        // (naming the assessment), never written out as if it were good.
                        *ctx.out << store->load(*number).document;
                        store->record_event(store::audit_action::kExport, {std::nullopt, *number},
                                            "exported to standard output");
                        return kExitOk;
                    }
                } else {
                    items = store->current_finals(*patient);
                    if (items.empty()) {
                        throw store::NotFound("patient \"" + *patient +
                                              "\" has no final assessment to export");
                    }
                }
                fs::path dir = out_dir->empty() ? fs::path(".") : fs::path(*out_dir);
                const auto protect = protected_targets(ctx);
                store::create_private_directories(dir);
                std::vector<std::pair<fs::path, std::string>> files;
                for (const auto& info : items) {
                    // The id is escaped (fileio::safe_file_part): "a/b", "..", "-x" or a
                    // control character still give one safe, distinct name.
                    fs::path path = dir / (fileio::safe_file_part(info.patient_id) + "_" +
                                           info.date + "_" + std::to_string(info.id) + ".json");
                    // Every target is checked before the first is written.
                    fileio::check_target(path, protect, fileio::Existing::Refuse, kExportNote);
                    files.emplace_back(path, store->load(info.id).document);
                }
                for (std::size_t i = 0; i < files.size(); ++i) {
                    const auto& [path, text] = files[i];
                    write_new_file(path, text, protect);
                    // One row per file: the trail of each assessment shows where it went.
                    store->record_event(store::audit_action::kExport,
                                        {items[i].patient_id, items[i].id},
                                        "exported to " + path.string());
                    *ctx.out << path.string() << "\n";
                }
                return kExitOk;
            });
        };
    });
}

// --- list

const char* urgency_text(const std::optional<Urgency>& u) {
    return u ? urgency_id(*u) : "-";
}

// A clinician's first look is one screenful, in the register's order (by name, as --search
// lists): a store of 100,000 patients printed whole takes seconds and helps nobody. Name order
// keeps --offset pages stable while visits are added; scripts take --all or --limit/--offset.
constexpr std::int64_t kListPage = 50;

struct ListOptions {
    std::string search;
    std::string format = "text";
    std::int64_t limit = kListPage;
    std::int64_t offset = 0;
    bool all = false;
};

std::string thousands(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

// The line under a page that does not show every patient: how many there are and how to see
// the rest. Empty when the page shows them all.
std::string more_note(const ListOptions& o, std::size_t shown, std::size_t total, bool capped) {
    const auto first = static_cast<std::size_t>(o.offset);
    if (first == 0 && shown >= total && !capped) {
        return {};  // everything is on the screen
    }
    const bool one = total == 1 && !capped;
    std::string of = (capped ? "more than " : "") + thousands(total);
    const std::string matching =
        o.search.empty() ? std::string() : " matching \"" + quote_for_message(o.search) + "\"";
    if (shown == 0) {
        return "No patient at --offset " + thousands(first) + ": there " + (one ? "is " : "are ") +
               of + (one ? " patient" : " patients") + matching + ".\n";
    }
    of += matching;
    // Without a search the list is in name order; a long search's pages keep the order of
    // the matching word (store.hpp).
    std::string note = "Patients " + thousands(first + 1) + "-" + thousands(first + shown) +
                       " of " + of + (o.search.empty() ? ", by name." : ".");
    if (first + shown < total || capped) {
        note += " Next page: --offset " + std::to_string(first + shown) + "; every one: --all";
        note += o.search.empty() ? "; or find one with --search NAME." : ".";
    }
    return note + "\n";
}

// Digits only, at least `min`: "-5", "1.5", "ten" and "1e3" are refused in one sentence that
// CLI11 prefixes with the option's name ("--limit: ...").
CLI::Validator whole_number(std::int64_t min) {
    return CLI::Validator(
        [min](std::string& value) -> std::string {
            const bool digits = !value.empty() && value.size() <= 12 &&
                                value.find_first_not_of("0123456789") == std::string::npos;
            if (!digits || std::stoll(value) < min) {
                return "must be a whole number, " + std::to_string(min) + " or more (not \"" +
                       quote_for_message(value) + "\")";
            }
            return {};
        },
        "N");
}

void add_list(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand(
        "list", "List patients (id, name, age, visits, last visit) by name, 50 at a time");
    auto o = std::make_shared<ListOptions>();
    cmd->add_option("--search", o->search,
                    "Name or id: every word matches the start of a word, ignoring case and "
                    "accents (\"zoe\" finds \"Zoë\")");
    cmd->add_option("--format", o->format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    auto* all = cmd->add_flag("--all", o->all, "Every patient (or every match), not one page");
    cmd->add_option("--limit", o->limit, "At most N patients (default 50)")
        ->check(whole_number(1))
        ->excludes(all);
    cmd->add_option("--offset", o->offset, "Skip the first N patients (the next page)")
        ->check(whole_number(0));
    cmd->callback([&ctx, &runner, o]() {
        runner = [&ctx, o]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                const std::size_t limit = o->all ? 0 : static_cast<std::size_t>(o->limit);
                const auto offset = static_cast<std::size_t>(o->offset);
                auto patients = store->list_patients(o->search, limit, offset);
                // Counted only when the page is full (or empty past the start): a capped count
                // keeps a common prefix ("a") fast on a big store.
                std::size_t total = offset + patients.size();
                bool capped = false;
                if ((limit != 0 && patients.size() == limit) || (patients.empty() && offset > 0)) {
                    const std::size_t cap = offset + limit + 100000;
                    total = store->count_patients(o->search, cap);
                    capped = total >= cap;
                }
                const std::string note = more_note(*o, patients.size(), total, capped);
                if (o->format == "json") {
                    Json list = Json::array();
                    for (const auto& p : patients) {
                        list.push_back(
                            {{"id", p.patient.id},
                             {"name", p.patient.name},
                             {"birth_date", p.patient.birth_date},
                             {"age", json_or_null(p.age)},
                             {"visits", p.visits},
                             {"last_visit", json_or_null(p.last_visit)},
                             {"last_urgency",
                              p.last_urgency ? Json(urgency_id(*p.last_urgency)) : Json(nullptr)}});
                    }
                    *ctx.out << list.dump(2) << "\n";
                    // Standard output stays one JSON document; the page's note is for a person.
                    if (!note.empty()) {
                        *ctx.err << "myoscreen-cli: note: " << note;
                    }
                    return kExitOk;
                }
                if (patients.empty() && offset == 0) {
                    bool has_word = !search_terms(o->search).empty();
                    *ctx.out << (o->search.empty() ? std::string("No patients stored.\n")
                                 : has_word
                                     ? "No patient matches \"" + quote_for_message(o->search) +
                                           "\".\n"
                                     : "No patient matches \"" + quote_for_message(o->search) +
                                           "\": a search needs a letter or a digit.\n");
                    return kExitOk;
                }
                if (!patients.empty()) {
                    Table t{{"ID", "NAME", "AGE", "VISITS", "LAST VISIT", "URGENCY"},
                            {false, false, true, true, false, false},
                            {}};
                    for (const auto& p : patients) {
                        t.rows.push_back({p.patient.id, p.patient.name, dash(p.age),
                                          std::to_string(p.visits), p.last_visit.value_or("-"),
                                          urgency_text(p.last_urgency)});
                    }
                    *ctx.out << t.render();
                }
                *ctx.out << note;
                return kExitOk;
            });
        };
    });
}

// --- history

std::string status_text(const store::AssessmentInfo& i) {
    std::string s = store::status_id(i.status);
    if (i.version > 1) {
        s += ", v" + std::to_string(i.version) + " corrects " + std::to_string(*i.supersedes);
    }
    if (i.superseded_by) {
        s += ", corrected by " + std::to_string(*i.superseded_by);
    }
    return s;
}

void add_history(CLI::App& app, Context& ctx, Runner& runner) {
    auto* cmd = app.add_subcommand("history", "A patient's visits with their key figures");
    auto id = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("text");
    cmd->add_option("ID", *id, "Patient id")->required();
    cmd->add_option("--format", *format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cmd->callback([&ctx, &runner, id, format]() {
        runner = [&ctx, id, format]() {
            return guarded(ctx, [&]() {
                auto store = open_store(ctx);
                auto visits = store->history(*id);  // NotFound for an unknown patient
                auto patient = store->find_patient(*id);
                if (*format == "json") {
                    Json list = Json::array();
                    for (const auto& v : visits) {
                        list.push_back(
                            {{"assessment", v.id},
                             {"visit", v.visit},
                             {"version", v.version},
                             {"supersedes", v.supersedes ? Json(*v.supersedes) : Json(nullptr)},
                             {"superseded_by",
                              v.superseded_by ? Json(*v.superseded_by) : Json(nullptr)},
                             {"status", store::status_id(v.status)},
                             {"date", v.date},
                             {"kind", json_or_null(v.kind)},
                             {"nrs_now", json_or_null(v.nrs_now)},
                             {"nrs_average", json_or_null(v.nrs_average)},
                             {"wpi", json_or_null(v.wpi)},
                             {"sss", json_or_null(v.sss)},
                             {"fs", json_or_null(v.fs)},
                             {"tender_count", json_or_null(v.tender_count)},
                             {"urgency", urgency_id(v.urgency)},
                             {"rules_version", v.rules_version}});
                    }
                    Json doc = {{"patient",
                                 {{"id", patient->id},
                                  {"name", patient->name},
                                  {"birth_date", patient->birth_date}}},
                                {"assessments", list}};
                    *ctx.out << doc.dump(2) << "\n";
                    return kExitOk;
                }
                *ctx.out << patient->name << " (" << patient->id << ", born " << patient->birth_date
                         << ")\n";
                if (visits.empty()) {
                    *ctx.out << "No assessments stored.\n";
                    return kExitOk;
                }
                Table t{{"N", "DATE", "KIND", "STATUS", "NRS NOW/AVG", "WPI", "SSS", "FS", "TENDER",
                         "URGENCY"},
                        {true, false, false, false, true, true, true, true, true, false},
                        {}};
                for (const auto& v : visits) {
                    t.rows.push_back({std::to_string(v.id), v.date, v.kind.value_or("-"),
                                      status_text(v), dash(v.nrs_now) + "/" + dash(v.nrs_average),
                                      dash(v.wpi), dash(v.sss), dash(v.fs), dash(v.tender_count),
                                      urgency_id(v.urgency)});
                }
                *ctx.out << t.render();
                return kExitOk;
            });
        };
    });
}

}  // namespace

void add_store_commands(CLI::App& app, Context& ctx, Runner& runner) {
    add_import(app, ctx, runner);
    add_export(app, ctx, runner);
    add_list(app, ctx, runner);
    add_history(app, ctx, runner);
    add_db_commands(app, ctx, runner);
    add_safety_commands(app, ctx, runner);
}

}  // namespace myo::cli
