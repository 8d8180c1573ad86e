// The FHIR Bundle's own rules (issue 16): a document with its Composition first, every reference
// resolving inside it, ServiceRequests exactly evaluate's tests, answers as recorded, and the
// round trip export -> import -> export giving the same answers and evaluation.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "core/evaluation.hpp"
#include "fhir/fhir.hpp"
#include "random_assessment.hpp"
#include "support/test_support.hpp"

using namespace myo;

namespace {

Json bundle_of(const Assessment& a, std::optional<std::string> pdf = std::nullopt) {
    const auto& defs = test::definitions();
    fhir::ExportOptions o;
    o.timestamp = "2026-12-01T20:00:00Z";
    o.referral_pdf = std::move(pdf);
    return fhir::export_bundle(defs, a, evaluate(defs, a), o);
}

std::vector<const Json*> resources(const Json& bundle, const std::string& type) {
    std::vector<const Json*> out;
    for (const auto& e : bundle["entry"]) {
        if (e["resource"]["resourceType"] == type) {
            out.push_back(&e["resource"]);
        }
    }
    return out;
}

void collect_references(const Json& node, std::vector<std::string>& out) {
    if (node.is_object()) {
        for (const auto& [k, v] : node.items()) {
            if (k == "reference" && v.is_string()) {
                out.push_back(v.get<std::string>());
            } else {
                collect_references(v, out);
            }
        }
    } else if (node.is_array()) {
        for (const auto& v : node) {
            collect_references(v, out);
        }
    }
}

std::vector<Assessment> cases() {
    std::vector<Assessment> out;
    for (const auto& v : test::vignette_files()) {
        out.push_back(test::vignette_assessment(v));
    }
    std::mt19937 rng(16);
    for (int n = 1; n <= 150; ++n) {
        out.push_back(test::random_assessment(test::definitions(), rng, n));
    }
    return out;
}

Assessment round_trip(const Assessment& a) {
    return fhir::import_bundle(test::definitions(), bundle_of(a).dump(), "bundle.json");
}

std::string import_error(const std::string& text) {
    try {
        fhir::import_bundle(test::definitions(), text, "in.json");
    } catch (const fhir::ImportError& e) {
        return e.lines();
    }
    return "";
}

}  // namespace

TEST_CASE("the random cases are valid and cover every item type") {
    std::set<std::string> seen;
    for (const auto& a : cases()) {
        REQUIRE(validate_assessment(a, test::definitions()).empty());
        for (const auto& [id, v] : a.answers.items()) {
            seen.insert(id);
        }
    }
    CHECK(seen.size() == test::definitions().form.items.size());
}

TEST_CASE(
    "a document Bundle: Composition first, unique fullUrls, every reference resolves inside") {
    for (const auto& a : cases()) {
        const Json b = bundle_of(a, std::string("%PDF-1.4 test"));
        REQUIRE(b["type"] == "document");
        REQUIRE(b["entry"][0]["resource"]["resourceType"] == "Composition");
        std::set<std::string> urls;
        for (const auto& e : b["entry"]) {
            CHECK(urls.insert(e["fullUrl"].get<std::string>()).second);
        }
        std::vector<std::string> refs;
        collect_references(b, refs);
        CHECK(!refs.empty());
        for (const auto& r : refs) {
            INFO(a.patient.id << " " << r);
            CHECK(urls.count(r) == 1);
        }
        CHECK(resources(b, "Condition").empty());  // MyoScreen does not diagnose
    }
}

TEST_CASE("the same assessment gives the same Bundle") {
    const Assessment a = test::vignette_assessment(test::vignette_files().front());
    CHECK(bundle_of(a) == bundle_of(a));
}

TEST_CASE(
    "every ServiceRequest is one of evaluate's tests: a draft proposal with its priority and "
    "reasons") {
    for (const auto& a : cases()) {
        const Evaluation e = evaluate(test::definitions(), a);
        const Json b = bundle_of(a);
        const auto requests = resources(b, "ServiceRequest");
        REQUIRE(requests.size() == e.tests.size());
        std::map<std::string, std::string> flag_urls;  // red-flag id -> Observation fullUrl
        for (const auto& entry : b["entry"]) {
            const Json& r = entry["resource"];
            if (r["resourceType"] == "Observation") {
                for (const auto& c : r["code"]["coding"]) {
                    const std::string code = c["code"];
                    if (code.rfind("red_flag.", 0) == 0) {
                        flag_urls[code.substr(9)] = entry["fullUrl"];
                    }
                }
            }
        }
        for (std::size_t i = 0; i < e.tests.size(); ++i) {
            const Json& sr = *requests[i];
            const auto& t = e.tests[i];
            CHECK(sr["status"] == "draft");
            CHECK(sr["intent"] == "proposal");
            CHECK(sr["code"]["coding"].back()["code"] == "test." + t.id);
            CHECK(sr["code"]["text"] == t.name);
            CHECK(sr["orderDetail"][0]["text"] == priority_id(t.priority));
            std::set<std::string> reasons;
            for (const auto& r : sr.value("reasonReference", Json::array())) {
                reasons.insert(r["reference"].get<std::string>());
            }
            for (const auto& r : sr.value("reasonCode", Json::array())) {
                reasons.insert(r["text"].get<std::string>());
            }
            std::set<std::string> expected;
            for (const auto& because : t.because) {
                expected.insert(flag_urls.count(because) ? flag_urls[because] : because);
            }
            CHECK(reasons == expected);
        }
        // Each positive red flag: one Observation and one Flag pointing to it.
        CHECK(flag_urls.size() == e.red_flags.size());
        CHECK(resources(b, "Flag").size() == e.red_flags.size());
    }
}

TEST_CASE("answers as recorded: not asked absent, unknown explicit") {
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    a.answers["rf.dark_urine"] = "unknown";
    a.answers.erase("rf.fever");
    const Json b = bundle_of(a);
    const Json& qr = *resources(b, "QuestionnaireResponse").front();
    std::map<std::string, Json> by_link;
    for (const auto& step : qr["item"]) {
        for (const auto& item : step["item"]) {
            by_link[item["linkId"]] = item;
        }
    }
    CHECK(by_link.count("rf.fever") == 0);
    REQUIRE(by_link.count("rf.dark_urine") == 1);
    CHECK(by_link["rf.dark_urine"]["answer"][0]["valueCoding"]["code"] == "UNK");
    CHECK(qr["questionnaire"] ==
          std::string(fhir::kQuestionnaireUrl) + "|" + test::definitions().form.version);
    CHECK(round_trip(a).answers["rf.dark_urine"] == "unknown");
    CHECK(!round_trip(a).answers.contains("rf.fever"));
}

TEST_CASE("round trip export -> import -> export: the same answers, evaluation and Bundle") {
    const auto& defs = test::definitions();
    for (const auto& a : cases()) {
        INFO(a.patient.id);
        const Assessment back = round_trip(a);
        CHECK(nlohmann::json(back.answers) == nlohmann::json(a.answers));  // order aside
        CHECK(back.patient.id == a.patient.id);
        CHECK(back.patient.name == a.patient.name);
        CHECK(back.patient.birth_date == a.patient.birth_date);
        CHECK(back.patient.sex == a.patient.sex);
        CHECK(back.date == a.date);
        CHECK(back.kind == a.kind);
        CHECK(back.clinician == a.clinician);
        CHECK(evaluation_to_json(evaluate(defs, back), defs) ==
              evaluation_to_json(evaluate(defs, a), defs));
        // The notes and the acknowledgements travel too (the QuestionnaireResponse's "record"
        // group), so the whole Bundle comes back the same.
        CHECK(back.notes == a.notes);
        CHECK(nlohmann::json::parse(write_assessment(back)) ==
              nlohmann::json::parse(write_assessment(a)));
        CHECK(bundle_of(back) == bundle_of(a));
    }
}

TEST_CASE("notes and emergency acknowledgements travel in the response's record group") {
    Assessment a = test::vignette_assessment(test::vignette_files().front());
    a.notes = "Worse after the night shift.\nSee GP letter 2026-10.";
    a.acknowledged =
        std::vector<Acknowledgement>{{"rhabdomyolysis", "Dr R. Mensah", "2026-11-20T10:31:00Z"}};
    const Json b = bundle_of(a);
    const Json& qr = *resources(b, "QuestionnaireResponse").front();
    const Json& record = qr["item"].back();
    CHECK(record["linkId"] == "record");
    CHECK(record["item"][0]["linkId"] == "record.notes");
    CHECK(record["item"][0]["answer"][0]["valueString"] == *a.notes);
    CHECK(record["item"][1]["item"][2]["answer"][0]["valueDateTime"] == "2026-11-20T10:31:00Z");
    const Assessment back = round_trip(a);
    CHECK(back.notes == a.notes);
    REQUIRE(back.acknowledged);
    REQUIRE(back.acknowledged->size() == 1);
    CHECK(back.acknowledged->front().flag == "rhabdomyolysis");
    CHECK(back.acknowledged->front().by == "Dr R. Mensah");
    CHECK(back.acknowledged->front().at == "2026-11-20T10:31:00Z");
    // Without notes or acknowledgements there is no record group at all.
    a.notes.reset();
    a.acknowledged.reset();
    CHECK(resources(bundle_of(a), "QuestionnaireResponse").front()->at("item").back()["linkId"] !=
          "record");

    // A record group that is not ours is refused naming its FHIR path.
    Json bad = bundle_of(a);
    Json* response = nullptr;
    for (auto& e : bad["entry"]) {
        if (e["resource"]["resourceType"] == "QuestionnaireResponse") {
            response = &e["resource"];
        }
    }
    REQUIRE(response != nullptr);
    (*response)["item"].push_back(
        {{"linkId", "record"},
         {"item",
          Json::array(
              {{{"linkId", "record.acknowledged"},
                {"item", Json::array({{{"linkId", "record.acknowledged.who"},
                                       {"answer", Json::array({{{"valueString", "x"}}})}}})}}})}});
    const std::string error = import_error(bad.dump());
    CHECK(error.find("record.acknowledged.who\" is not a field of \"record.acknowledged\"") !=
          std::string::npos);
    CHECK(error.find(".item[0].item[0].linkId") != std::string::npos);
    // An acknowledgement naming a flag that is not an emergency of the rules is refused too.
    a.acknowledged = std::vector<Acknowledgement>{{"no_such_flag", "Dr X", "2026-11-20T10:31:00Z"}};
    CHECK(import_error(bundle_of(a).dump()).find("unknown red flag \"no_such_flag\"") !=
          std::string::npos);
}

TEST_CASE("the Questionnaire holds every item of forms/ with its type, options and units") {
    const Json q = fhir::questionnaire(test::definitions());
    CHECK(q["url"] == fhir::kQuestionnaireUrl);
    CHECK(q["version"] == test::definitions().form.version);
    std::map<std::string, Json> items;
    for (const auto& step : q["item"]) {
        if (step["linkId"] == "record") {
            continue;  // what the visit records beside the form's answers (its own case)
        }
        for (const auto& item : step["item"]) {
            items[item["linkId"]] = item;
        }
    }
    CHECK(items.size() == test::definitions().form.items.size());
    CHECK(items["rf.fever"]["type"] == "choice");
    CHECK(items["rf.fever"]["answerOption"].size() == 3);
    CHECK(items["character"]["repeats"] == true);
    CHECK(items["tp.knee_l"]["type"] == "integer");
    CHECK(items["psfs"]["type"] == "group");
    CHECK(items["psfs"]["item"][1]["linkId"] == "psfs.score");
    CHECK(items["ppt.knee_l"]["extension"].back()["valueCoding"]["code"] == "kg/cm2");
    const Json& record = q["item"].back();
    CHECK(record["linkId"] == "record");
    CHECK(record["item"][0]["type"] == "text");
    CHECK(record["item"][1]["repeats"] == true);
    CHECK(record["item"][1]["item"][2]["type"] == "dateTime");
}

TEST_CASE("the patient id's identifier system is the one set") {
    const Assessment a = test::vignette_assessment(test::vignette_files().front());
    const auto& defs = test::definitions();
    fhir::ExportOptions o;
    o.timestamp = "2026-12-01T20:00:00Z";
    o.patient_id_system = "https://clinic.example/patient-ids";
    const Json b = fhir::export_bundle(defs, a, evaluate(defs, a), o);
    const Json& p = *resources(b, "Patient").front();
    CHECK(p["identifier"][0]["system"] == "https://clinic.example/patient-ids");
    CHECK(p["identifier"][0]["value"] == a.patient.id);
}

TEST_CASE("the referral note travels as a DocumentReference holding the PDF") {
    const Assessment a = test::vignette_assessment(test::vignette_files().front());
    const Json b = bundle_of(a, std::string("%PDF"));
    const auto docs = resources(b, "DocumentReference");
    REQUIRE(docs.size() == 1);
    const Json& att = (*docs.front())["content"][0]["attachment"];
    CHECK(att["contentType"] == "application/pdf");
    CHECK(att["data"] == "JVBERg==");
    CHECK(att["size"] == 4);
    CHECK(resources(bundle_of(a), "DocumentReference").empty());
}

TEST_CASE("hostile or unmappable imports are refused naming the FHIR path") {
    const Assessment a = test::vignette_assessment(test::vignette_files().front());
    const Json good = bundle_of(a);
    std::size_t qr_index = 0;
    for (std::size_t i = 0; i < good["entry"].size(); ++i) {
        if (good["entry"][i]["resource"]["resourceType"] == "QuestionnaireResponse") {
            qr_index = i;
        }
    }
    const std::string qr = "Bundle.entry[" + std::to_string(qr_index) + "].resource";

    CHECK(import_error("[1, 2]") ==
          "in.json: Bundle: expected a FHIR Bundle (a JSON object), got [1,2]\n");
    CHECK(import_error(R"({"resourceType": "Patient"})") ==
          "in.json: Bundle.resourceType: expected \"Bundle\" (holding a QuestionnaireResponse), "
          "got \"Patient\"\n");
    CHECK(import_error(R"({"resourceType": "Bundle", "entry": 7})") ==
          "in.json: Bundle.entry: expected an array, got 7\n");
    CHECK(import_error(R"({"resourceType": "Bundle", "entry": []})") ==
          "in.json: Bundle.entry: no QuestionnaireResponse in the Bundle\n");
    CHECK(import_error(std::string(100000, '[') + std::string(100000, ']')).find("nest") !=
          std::string::npos);
    CHECK(import_error(std::string(fhir::kMaxFhirBytes + 1, ' '))
              .find("a FHIR file is read up to 32 MiB") != std::string::npos);

    Json bad = good;
    bad["entry"][qr_index]["resource"]["item"][0]["item"][0]["linkId"] = "no_such_item";
    CHECK(import_error(bad.dump()) == "in.json: " + qr +
                                          ".item[0].item[0].linkId: \"no_such_item\" is not an "
                                          "item of the MyoScreen Questionnaire " +
                                          test::definitions().form.version + "\n");

    bad = good;
    bad["entry"][qr_index]["resource"]["questionnaire"] = "http://example.org/Questionnaire/phq9";
    CHECK(import_error(bad.dump())
              .find(qr + ".questionnaire: expected the MyoScreen Questionnaire") !=
          std::string::npos);

    bad = good;
    bad["entry"][qr_index]["resource"]["subject"]["reference"] = "urn:uuid:elsewhere";
    CHECK(import_error(bad.dump()) ==
          "in.json: " + qr +
              ".subject.reference: \"urn:uuid:elsewhere\" is not in the Bundle "
              "(every reference must resolve inside it)\n");

    // A value of the wrong FHIR type, and a value out of the form's range.
    bad = good;
    Json& first = bad["entry"][qr_index]["resource"]["item"][0]["item"][0];
    REQUIRE(first["linkId"] == "duration_weeks");
    first["answer"][0] = {{"valueString", "thirty"}};
    CHECK(import_error(bad.dump()) ==
          "in.json: " + qr +
              ".item[0].item[0].answer[0].valueString: expected a valueDecimal, got "
              "valueString \"thirty\"\n");
    first["answer"][0] = {{"valueDecimal", 99999}};
    CHECK(import_error(bad.dump())
              .find("in.json: " + qr + ".item[0].item[0]: \"duration_weeks\": ") == 0);
}

TEST_CASE(
    "a Bundle with any one value replaced by a value of another type is imported or refused, never "
    "more") {
    // A small in-process fuzz: every refusal is an ImportError naming a path, nothing else
    // escapes (no type_error, no out_of_range, no crash).
    const Assessment a = test::vignette_assessment(test::vignette_files().front());
    const Json good = bundle_of(a);
    std::vector<Json::json_pointer> pointers;
    const nlohmann::json flat = nlohmann::json(good).flatten();
    for (const auto& [key, v] : flat.items()) {
        Json::json_pointer p(key);
        while (!p.empty()) {
            pointers.push_back(p);
            p = p.parent_pointer();
        }
    }
    const Json replacements[] = {nullptr,        7,    -1,
                                 1e30,           "x",  Json::array(),
                                 Json::object(), true, Json::array({Json::object()})};
    std::mt19937 rng(1616);
    int refused = 0;
    for (int i = 0; i < 400; ++i) {
        Json bad = good;
        const auto& p =
            pointers[std::uniform_int_distribution<std::size_t>(0, pointers.size() - 1)(rng)];
        bad[p] = replacements[std::uniform_int_distribution<std::size_t>(
            0, std::size(replacements) - 1)(rng)];
        INFO(p.to_string());
        try {
            fhir::import_bundle(test::definitions(), bad.dump(), "in.json");
        } catch (const fhir::ImportError& e) {
            ++refused;
            CHECK(!e.problems().empty());
        } catch (const std::exception& e) {
            FAIL("escaped: " << e.what());
        }
    }
    CHECK(refused > 0);
}
