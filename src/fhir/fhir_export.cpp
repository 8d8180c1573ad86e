// The Bundle of one assessment (README "FHIR export and import" lists every resource and code).
#include <chrono>
#include <ctime>
#include <map>

#include "core/rules.hpp"
#include "fhir/fhir.hpp"
#include "fhir/fhir_codes.hpp"
#include "fhir/fhir_items.hpp"

namespace myo::fhir {

namespace {

constexpr const char* kFlagDetail = "http://hl7.org/fhir/StructureDefinition/flag-detail";
constexpr const char* kObservationCategory =
    "http://terminology.hl7.org/CodeSystem/observation-category";

Json reference(const std::string& urn) {
    return {{"reference", urn}};
}

// The Bundle under construction: entries in order, each with a urn:uuid derived from the
// assessment, so references are known before the resource is written.
class BundleBuilder {
  public:
    explicit BundleBuilder(std::string seed) : seed_(std::move(seed)) {}
    std::string urn(const std::string& key) const { return derived_urn(seed_, key); }
    void add(const std::string& key, Json resource) {
        entries_.push_back({{"fullUrl", urn(key)}, {"resource", std::move(resource)}});
    }
    Json take() { return std::move(entries_); }

  private:
    std::string seed_;
    Json entries_ = Json::array();
};

struct Context {
    const Definitions& defs;
    const Assessment& a;
    const Evaluation& e;
    BundleBuilder& b;
    std::string patient, encounter, practitioner, response;
};

Json category(const char* code, const char* display) {
    return Json::array({{{"coding", Json::array({{{"system", kObservationCategory},
                                                  {"code", code},
                                                  {"display", display}}})}}});
}

// An Observation of a measure: coded with MyoScreen's code and LOINC's where one fits.
Json observation(const Context& c, const std::string& code, const std::string& display,
                 const char* cat, const char* cat_display) {
    Json coding = Json::array();
    if (auto loinc = loinc_for_measure(code)) {
        coding.push_back({{"system", kLoinc}, {"code", loinc->first}, {"display", loinc->second}});
    }
    coding.push_back(myo_coding(code, display));
    return {{"resourceType", "Observation"},
            {"status", "final"},
            {"category", category(cat, cat_display)},
            {"code", {{"coding", coding}, {"text", display}}},
            {"subject", reference(c.patient)},
            {"encounter", reference(c.encounter)},
            {"effectiveDateTime", c.a.date},
            {"performer", Json::array({reference(c.practitioner)})},
            {"derivedFrom", Json::array({reference(c.response)})}};
}

Json quantity(double value, const std::string& unit) {
    Json q = {{"value", value}, {"unit", unit}};
    if (auto ucum = ucum_for(unit)) {
        q["system"] = kUcum;
        q["code"] = *ucum;
    }
    return q;
}

// Measures: every NRS, the scores (when not null), each tender-point grade and PPT site,
// weight, temperature and the PSFS. Returns the references in order.
std::vector<std::string> add_measures(Context& c) {
    std::vector<std::string> refs;
    auto add = [&](const std::string& key, Json obs) {
        c.b.add(key, std::move(obs));
        refs.push_back(c.b.urn(key));
    };
    for (const auto& item : c.defs.form.items) {
        auto it = c.a.answers.find(item.id);
        if (it == c.a.answers.end()) {
            continue;
        }
        const bool nrs = item.id.rfind("nrs_", 0) == 0;
        const bool tp = item.group == "tp";
        const bool ppt = item.group == "ppt";
        const bool exam = item.id == "exam.weight_kg" || item.id == "exam.temp_c" ||
                          item.id == "exam.weight_prev_kg";
        if (nrs || tp) {
            Json obs = observation(c, item.id, item.label, nrs ? "survey" : "exam",
                                   nrs ? "Survey" : "Exam");
            obs["valueInteger"] = *it;
            if (tp) {
                obs["bodySite"] = {{"text", item.label}};
                obs["interpretation"] =
                    Json::array({{{"text", item.value_label(it->get<long>())}}});
            }
            add("obs:" + item.id, obs);
        } else if (ppt || exam) {
            Json obs = observation(c, item.id, item.label, ppt ? "exam" : "vital-signs",
                                   ppt ? "Exam" : "Vital Signs");
            obs["valueQuantity"] = quantity(it->get<double>(), item.unit);
            if (ppt) {
                obs["bodySite"] = {{"text", item.label}};
            }
            add("obs:" + item.id, obs);
        } else if (item.id == "psfs" && !it->empty()) {
            Json obs = observation(c, "psfs", item.label, "survey", "Survey");
            Json components = Json::array();
            for (const auto& entry : *it) {
                components.push_back(
                    {{"code",
                      {{"coding", Json::array({myo_coding("psfs.activity", "PSFS activity")})},
                       {"text", entry.at("activity").get<std::string>()}}},
                     {"valueInteger", entry.at("score")}});
            }
            obs["component"] = components;
            add("obs:psfs", obs);
        }
    }
    const auto& acr = c.e.acr2016;
    const std::pair<const char*, std::optional<int>> scores[] = {
        {"acr2016.wpi", acr.wpi},
        {"acr2016.sss", acr.sss},
        {"acr2016.fs", acr.fs},
        {"acr1990.tender_count", c.e.acr1990.tender_count}};
    const std::map<std::string, std::string> names = {
        {"acr2016.wpi", "Widespread Pain Index (ACR 2016)"},
        {"acr2016.sss", "Symptom Severity Scale (ACR 2016)"},
        {"acr2016.fs", "Fibromyalgia severity (WPI + SSS)"},
        {"acr1990.tender_count", "Tender-point count (ACR 1990, grade 2 or more)"}};
    for (const auto& [code, value] : scores) {
        if (!value) {
            continue;  // depends on answers not given: no value, never a guess
        }
        Json obs = observation(c, code, names.at(code), "survey", "Survey");
        obs["valueInteger"] = *value;
        add(std::string("obs:") + code, obs);
    }
    // The functional pattern is descriptive (MyoScreen does not diagnose): an Observation
    // that says so, never a Condition.
    Json pattern = observation(c, "pattern.functional_muscle_pain",
                               "Functional muscle pain pattern (descriptive)", "survey", "Survey");
    if (c.e.pattern.functional_muscle_pain) {
        pattern["valueBoolean"] = *c.e.pattern.functional_muscle_pain;
    } else {
        pattern["dataAbsentReason"] = {
            {"coding",
             Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/data-absent-reason"},
                           {"code", "unknown"},
                           {"display", "Unknown"}}})}};
    }
    pattern["note"] = Json::array({{{"text",
                                     "A descriptive pattern of the findings, not a diagnosis "
                                     "(MyoScreen does not diagnose)."}}});
    add("obs:pattern", pattern);
    return refs;
}

Json urgency_concept(Urgency u) {
    return {{"coding",
             Json::array({myo_coding(std::string("urgency.") + urgency_id(u), urgency_id(u))})},
            {"text", urgency_id(u)}};
}

// Each positive red flag: an Observation (urgency, triggering findings, source) and a Flag that
// points to it. Returns (observation refs, flag refs).
std::pair<std::vector<std::string>, std::vector<std::string>> add_red_flags(Context& c) {
    std::vector<std::string> obs_refs, flag_refs;
    for (const auto& f : c.e.red_flags) {
        Json obs = observation(c, "red_flag." + f.id, f.label, "exam", "Exam");
        obs["valueBoolean"] = true;
        Json components =
            Json::array({{{"code", {{"coding", Json::array({myo_coding("urgency", "Urgency")})}}},
                          {"valueCodeableConcept", urgency_concept(f.urgency)}}});
        for (const auto& because : f.because) {
            const ItemDef* item = c.defs.form.find(because);
            components.push_back(
                {{"code", {{"coding", Json::array({myo_coding("finding", "Triggering finding")})}}},
                 {"valueCodeableConcept",
                  {{"coding", Json::array({myo_coding(because, item ? item->label : because)})},
                   {"text", because}}}});
        }
        obs["component"] = components;
        Json notes = Json::array();
        if (!f.action.empty()) {
            notes.push_back({{"text", "Action: " + f.action}});
        }
        if (!f.source.empty()) {
            notes.push_back({{"text", "Source: " + f.source}});
        }
        if (!notes.empty()) {
            obs["note"] = notes;
        }
        c.b.add("flag-obs:" + f.id, obs);
        obs_refs.push_back(c.b.urn("flag-obs:" + f.id));
        Json flag = {
            {"resourceType", "Flag"},
            {"extension",
             Json::array({{{"url", kFlagDetail},
                           {"valueReference", reference(c.b.urn("flag-obs:" + f.id))}}})},
            {"status", "active"},
            {"category",
             Json::array(
                 {{{"coding",
                    Json::array({{{"system", "http://terminology.hl7.org/CodeSystem/flag-category"},
                                  {"code", "clinical"},
                                  {"display", "Clinical"}}})}}})},
            {"code",
             {{"coding", Json::array({myo_coding("red_flag." + f.id, f.label)})},
              {"text", f.label}}},
            {"subject", reference(c.patient)},
            {"period", {{"start", c.a.date}}},
            {"encounter", reference(c.encounter)},
            {"author", reference(c.practitioner)}};
        c.b.add("flag:" + f.id, flag);
        flag_refs.push_back(c.b.urn("flag:" + f.id));
    }
    return {obs_refs, flag_refs};
}

// Each suggested test: a proposal, never an order. `because` names red flags (referenced) or
// work-up rules (coded); the priority (recommended / consider) is in orderDetail.
std::vector<std::string> add_tests(Context& c) {
    std::vector<std::string> refs;
    for (const auto& t : c.e.tests) {
        Json coding = Json::array();
        if (auto loinc = loinc_for_test(t.id)) {
            coding.push_back(
                {{"system", kLoinc}, {"code", loinc->first}, {"display", loinc->second}});
        }
        coding.push_back(myo_coding("test." + t.id, t.name));
        Json reasons = Json::array();
        Json reason_codes = Json::array();
        for (const auto& because : t.because) {
            if (c.e.flag(because) != nullptr) {
                reasons.push_back(reference(c.b.urn("flag-obs:" + because)));
            } else {
                reason_codes.push_back(
                    {{"coding", Json::array({myo_coding("rule." + because, "")})},
                     {"text", because}});
            }
        }
        Json sr = {{"resourceType", "ServiceRequest"},
                   {"status", "draft"},
                   {"intent", "proposal"},
                   {"code", {{"coding", coding}, {"text", t.name}}},
                   {"orderDetail",
                    Json::array({{{"coding", Json::array({myo_coding(
                                                 std::string("priority.") + priority_id(t.priority),
                                                 priority_id(t.priority))})},
                                  {"text", priority_id(t.priority)}}})},
                   {"subject", reference(c.patient)},
                   {"encounter", reference(c.encounter)},
                   {"authoredOn", c.a.date},
                   {"requester", reference(c.practitioner)}};
        if (!reason_codes.empty()) {
            sr["reasonCode"] = reason_codes;
        }
        if (!reasons.empty()) {
            sr["reasonReference"] = reasons;
        }
        c.b.add("test:" + t.id, sr);
        refs.push_back(c.b.urn("test:" + t.id));
    }
    return refs;
}

Json patient_resource(const Assessment& a, const ExportOptions& options) {
    Json p = {{"resourceType", "Patient"},
              {"identifier",
               Json::array({{{"system", options.patient_id_system}, {"value", a.patient.id}}})},
              {"name", Json::array({{{"text", a.patient.name}}})}};
    if (a.patient.sex) {
        p["gender"] = *a.patient.sex;  // female | male | other | unknown: FHIR's own codes
    }
    p["birthDate"] = a.patient.birth_date;
    return p;
}

Json section(const std::string& title, const std::string& code,
             const std::vector<std::string>& refs) {
    Json entries = Json::array();
    for (const auto& r : refs) {
        entries.push_back(reference(r));
    }
    return {{"title", title},
            {"code", {{"coding", Json::array({myo_coding("section." + code, title)})}}},
            {"entry", entries}};
}

}  // namespace

std::string now_instant() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

Json export_bundle(const Definitions& defs, const Assessment& a, const Evaluation& e,
                   const ExportOptions& options) {
    // The ids are derived from the assessment's content with its keys sorted, so the same
    // assessment gives the same ids whatever order its file listed the answers in.
    BundleBuilder b(nlohmann::json(assessment_to_json(a)).dump());
    Context c{defs,
              a,
              e,
              b,
              b.urn("patient"),
              b.urn("encounter"),
              b.urn("practitioner"),
              b.urn("response")};
    const std::string questionnaire_urn = b.urn("questionnaire");

    // The Composition comes first (a document Bundle); its content is known once the rest is
    // built, so it is added last and moved to the front.
    b.add("patient", patient_resource(a, options));
    Json practitioner = {{"resourceType", "Practitioner"}};
    if (a.clinician && !a.clinician->empty()) {
        practitioner["name"] = Json::array({{{"text", *a.clinician}}});
    }
    b.add("practitioner", practitioner);
    Json encounter = {{"resourceType", "Encounter"},
                      {"status", "finished"},
                      {"class",
                       {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
                        {"code", "AMB"},
                        {"display", "ambulatory"}}},
                      {"subject", reference(c.patient)},
                      {"participant", Json::array({{{"individual", reference(c.practitioner)}}})},
                      {"period", {{"start", a.date}, {"end", a.date}}}};
    // The visit's kind only when the assessment records one: a visit of unrecorded kind is not
    // claimed as initial (an import would then read a kind nobody entered).
    if (a.kind) {
        const std::string& kind = *a.kind;
        encounter["type"] = Json::array(
            {{{"coding", Json::array({myo_coding("visit." + kind, kind == "follow_up"
                                                                      ? "Follow-up visit"
                                                                      : "Initial visit")})}}});
    }
    b.add("encounter", encounter);
    b.add("questionnaire", questionnaire(defs));
    Json response = {{"resourceType", "QuestionnaireResponse"},
                     {"questionnaire", std::string(kQuestionnaireUrl) + "|" + defs.form.version},
                     {"status", "completed"},
                     {"subject", reference(c.patient)},
                     {"encounter", reference(c.encounter)},
                     {"authored", a.date},
                     {"author", reference(c.practitioner)},
                     {"item", response_items(defs, a.answers)}};
    if (Json record = record_response(a); !record.is_null()) {
        response["item"].push_back(std::move(record));
    }
    b.add("response", response);
    const auto measures = add_measures(c);
    const auto [flag_observations, flags] = add_red_flags(c);
    const auto tests = add_tests(c);
    std::string document_ref;
    if (options.referral_pdf) {
        document_ref = b.urn("referral");
        b.add("referral",
              {{"resourceType", "DocumentReference"},
               {"status", "current"},
               {"type",
                {{"coding",
                  Json::array(
                      {{{"system", kLoinc}, {"code", "57133-1"}, {"display", "Referral note"}}})}}},
               {"subject", reference(c.patient)},
               {"date", options.timestamp},
               {"author", Json::array({reference(c.practitioner)})},
               {"description", "MyoScreen referral note"},
               {"content", Json::array({{{"attachment",
                                          {{"contentType", "application/pdf"},
                                           {"data", base64_encode(*options.referral_pdf)},
                                           {"size", options.referral_pdf->size()},
                                           {"title", "Referral note " + a.patient.id + " " +
                                                         a.date + ".pdf"}}}}})},
               {"context", {{"encounter", Json::array({reference(c.encounter)})}}}});
    }

    Json sections = Json::array({section("Answers", "answers", {questionnaire_urn, c.response})});
    if (!measures.empty()) {
        sections.push_back(section("Measures", "measures", measures));
    }
    if (!flags.empty()) {
        std::vector<std::string> all = flag_observations;
        all.insert(all.end(), flags.begin(), flags.end());
        sections.push_back(section("Red flags", "red_flags", all));
    }
    if (!tests.empty()) {
        sections.push_back(section("Suggested tests", "tests", tests));
    }
    if (!document_ref.empty()) {
        sections.push_back(section("Referral note", "referral", {document_ref}));
    }
    Json composition = {
        {"resourceType", "Composition"},
        {"status", "final"},
        {"type",
         {{"coding",
           Json::array({{{"system", kLoinc}, {"code", "11488-4"}, {"display", "Consult note"}}})}}},
        {"subject", reference(c.patient)},
        {"encounter", reference(c.encounter)},
        {"date", a.date},
        {"author", Json::array({reference(c.practitioner)})},
        {"title", "MyoScreen assessment of " + a.date},
        {"section", sections}};
    Json entries = b.take();
    entries.insert(entries.begin(),
                   Json{{"fullUrl", b.urn("composition")}, {"resource", composition}});
    return {{"resourceType", "Bundle"},
            {"identifier", {{"system", "urn:ietf:rfc:3986"}, {"value", b.urn("bundle")}}},
            {"type", "document"},
            {"timestamp", options.timestamp},
            {"entry", entries}};
}

}  // namespace myo::fhir
