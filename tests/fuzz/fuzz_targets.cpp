#include "fuzz_targets.hpp"

#include <filesystem>
#include <stdexcept>

#include "core/assessment.hpp"
#include "core/condition.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "fhir/fhir.hpp"

#ifndef MYOSCREEN_FORMS_DIR
#error "MYOSCREEN_FORMS_DIR must name the forms/ folder"
#endif

namespace myo::fuzz {

namespace {

const Definitions& shipped() {
    static const Definitions defs = load_definitions(MYOSCREEN_FORMS_DIR);
    return defs;
}

struct ShippedDocs {
    Json form;
    Json tests;
    Json rules;
};

const ShippedDocs& docs() {
    static const ShippedDocs d = [] {
        std::filesystem::path dir = MYOSCREEN_FORMS_DIR;
        return ShippedDocs{*parse_json(read_text_file(dir / "assessment.json")).value,
                           *parse_json(read_text_file(dir / "tests.json")).value,
                           *parse_json(read_text_file(dir / "rules.json")).value};
    }();
    return d;
}

}  // namespace

void assessment(std::string_view input) {
    const Definitions& defs = shipped();
    AssessmentParse parsed = parse_assessment(input, defs);
    if (!parsed.assessment) {
        return;
    }
    Evaluation e = evaluate(defs, *parsed.assessment);
    (void)evaluation_to_json(e, defs).dump();
    std::string text = write_assessment(*parsed.assessment);
    // A file that reads must read again the same after writing (the round-trip promise).
    if (write_assessment(*parse_assessment(text, defs).assessment) != text) {
        __builtin_trap();
    }
}

void definitions(std::string_view input) {
    if (input.empty()) {
        return;
    }
    auto which = static_cast<unsigned char>(input.front()) % 3;
    ParsedJson parsed = parse_json(input.substr(1));
    if (!parsed.value) {
        return;
    }
    std::vector<Problem> problems;
    const ShippedDocs& d = docs();
    FormDef form = load_form(which == 0 ? *parsed.value : d.form, problems);
    TestCatalogue tests = load_tests(which == 1 ? *parsed.value : d.tests, problems);
    RuleSet rules = load_rules(which == 2 ? *parsed.value : d.rules, form, tests, problems);
    (void)rules;
}

void condition(std::string_view input) {
    ConditionPtr c;
    try {
        c = Condition::parse(input);
    } catch (const ConditionSyntaxError&) {
        return;
    }
    const Definitions& defs = shipped();
    ConditionScope scope;
    scope.form = &defs.form;
    scope.duration_categories = {"acute", "subacute", "chronic"};
    scope.urgency_levels = {"emergency", "urgent", "soon", "routine"};
    scope.flag_ids = {"malignancy"};
    scope.allow_urgency = true;
    if (!c->check(scope).empty()) {
        return;  // the loader refuses it; only checked conditions are ever evaluated
    }
    static const Json answer_sets[] = {
        Json::object(),
        Json{{"rf.fever", "yes"},
             {"nrs_worst", 9},
             {"character", {"deep"}},
             {"tp.knee_l", 3},
             {"mtrp", Json::array({Json{{"muscle", "x"}, {"side", "l"}, {"recognised", true}}})}},
        Json{{"rf.fever", "unknown"}, {"duration_weeks", 0.5}, {"med.statin", false}},
    };
    std::set<std::string> flags = {"malignancy"};
    for (const auto& answers : answer_sets) {
        Facts f;
        f.form = &defs.form;
        f.answers = &answers;
        f.age = 55;
        f.duration_category = "chronic";
        f.weight_loss_percent = 6.0;
        f.positive_flags = &flags;
        f.urgency = "urgent";
        (void)c->evaluate(f);
    }
}

void fhir(std::string_view input) {
    const Definitions& defs = shipped();
    Assessment a;
    try {
        a = fhir::import_bundle(defs, input, "fuzz.json");
    } catch (const fhir::ImportError&) {
        return;  // refused with problems: what a hostile file must get
    }
    // What was accepted is a valid assessment: it evaluates, exports, and imports back the same
    // (any other exception escapes and libFuzzer reports it).
    fhir::ExportOptions options;
    options.timestamp = "2026-12-01T00:00:00Z";
    const Json bundle = fhir::export_bundle(defs, a, evaluate(defs, a), options);
    const Assessment back = fhir::import_bundle(defs, bundle.dump(), "again.json");
    if (write_assessment(back) != write_assessment(a)) {
        __builtin_trap();
    }
}

}  // namespace myo::fuzz
