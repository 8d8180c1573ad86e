#include "fhir/fhir_codes.hpp"

#include <array>
#include <map>

#include "fhir/fhir.hpp"
#include "hash/sha256.hpp"

namespace myo::fhir {

namespace {

using CodeMap = std::map<std::string, std::pair<std::string, std::string>, std::less<>>;

std::optional<std::pair<std::string, std::string>> find(const CodeMap& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) {
        return std::nullopt;
    }
    return it->second;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> loinc_for_measure(std::string_view code) {
    // Only codes whose meaning is exactly the measure's. Average, worst and least pain of the
    // past week have no LOINC code of their own: 72514-3 is the pain now.
    static const CodeMap map = {
        {"nrs_now", {"72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}},
        {"exam.weight_kg", {"29463-7", "Body weight"}},
        {"exam.temp_c", {"8310-5", "Body temperature"}},
    };
    return find(map, code);
}

std::optional<std::pair<std::string, std::string>> loinc_for_test(std::string_view test_id) {
    // A test of forms/tests.json that names several alternatives ("Fasting glucose or HbA1c")
    // or a non-laboratory study has no single LOINC order code: it keeps only its MyoScreen code.
    static const CodeMap map = {
        {"CBC", {"58410-2", "CBC panel - Blood by Automated count"}},
        {"ESR", {"30341-2", "Erythrocyte sedimentation rate"}},
        {"CRP", {"1988-5", "C reactive protein [Mass/volume] in Serum or Plasma"}},
        {"TSH", {"3016-3", "Thyrotropin [Units/volume] in Serum or Plasma"}},
        {"CK", {"2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma"}},
        {"RENAL", {"24362-6", "Renal function 2000 panel - Serum or Plasma"}},
        {"ELECTROLYTES", {"24326-1", "Electrolytes 1998 panel - Serum or Plasma"}},
        {"CALCIUM", {"17861-6", "Calcium [Mass/volume] in Serum or Plasma"}},
        {"MAGNESIUM", {"19123-9", "Magnesium [Mass/volume] in Serum or Plasma"}},
        {"LFT", {"24325-3", "Hepatic function 2000 panel - Serum or Plasma"}},
        {"VITD", {"62292-8", "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma"}},
        {"B12", {"2132-9", "Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma"}},
        {"FERRITIN", {"2276-4", "Ferritin [Mass/volume] in Serum or Plasma"}},
        {"URINALYSIS", {"24356-8", "Urinalysis complete panel - Urine"}},
        {"RF", {"11572-5", "Rheumatoid factor [Units/volume] in Serum or Plasma"}},
        {"ANA", {"8061-4", "Nuclear Ab [Presence] in Serum"}},
        {"BLOOD_CULTURES", {"600-7", "Bacteria identified in Blood by Culture"}},
    };
    return find(map, test_id);
}

std::optional<std::string> ucum_for(std::string_view unit) {
    static const std::map<std::string, std::string, std::less<>> map = {
        {"weeks", "wk"},      {"min", "min"},       {"kg", "kg"},      {"°C", "Cel"},
        {"kg/cm²", "kg/cm2"}, {"months ago", "mo"}, {"/10", "{score}"}};
    auto it = map.find(unit);
    if (it == map.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::optional<std::string> yn_code(std::string_view answer) {
    if (answer == "yes") {
        return "Y";
    }
    if (answer == "no") {
        return "N";
    }
    if (answer == "unknown") {
        return "UNK";
    }
    return std::nullopt;
}

std::optional<std::string> yn_answer(std::string_view code) {
    if (code == "Y") {
        return "yes";
    }
    if (code == "N") {
        return "no";
    }
    if (code == "UNK") {
        return "unknown";
    }
    return std::nullopt;
}

std::string yn_display(std::string_view code) {
    return code == "Y" ? "Yes" : code == "N" ? "No" : "Unknown";
}

Json myo_coding(const std::string& code, const std::string& display) {
    Json c = {{"system", kCodeSystemUrl}, {"code", code}};
    if (!display.empty()) {
        c["display"] = display;
    }
    return c;
}

std::string derived_urn(std::string_view seed, std::string_view key) {
    Sha256 h;
    h.update("myoscreen-fhir\n");
    h.update(seed);
    h.update("\n");
    h.update(key);
    std::string hex = h.hex().substr(0, 32);
    hex[12] = '4';  // version 4 layout
    hex[16] = "89ab"[(hex[16] >= 'a' ? hex[16] - 'a' + 10 : hex[16] - '0') & 3];  // variant
    return "urn:uuid:" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string base64_encode(std::string_view bytes) {
    static constexpr std::array<char, 65> kAlphabet{
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"};
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    // Each byte as an unsigned value: a char promoted to int and shifted would be signed.
    auto byte = [&bytes](std::size_t k) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[k]));
    };
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
        out += kAlphabet[(v >> 18U) & 63U];
        out += kAlphabet[(v >> 12U) & 63U];
        out += kAlphabet[(v >> 6U) & 63U];
        out += kAlphabet[v & 63U];
    }
    if (i < bytes.size()) {
        unsigned v = byte(i) << 16U;
        if (i + 1 < bytes.size()) {
            v |= byte(i + 1) << 8U;
        }
        out += kAlphabet[(v >> 18U) & 63U];
        out += kAlphabet[(v >> 12U) & 63U];
        out += i + 1 < bytes.size() ? kAlphabet[(v >> 6U) & 63U] : '=';
        out += '=';
    }
    return out;
}

}  // namespace myo::fhir
