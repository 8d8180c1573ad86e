#pragma once
// The codes the FHIR exchange uses (LOINC where one fits, UCUM units, yes/no/unknown) and the
// small encodings it needs (urn:uuid ids, base64). Internal to src/fhir.

#include <optional>
#include <string>
#include <string_view>

#include "core/json_util.hpp"

namespace myo::fhir {

inline constexpr const char* kLoinc = "http://loinc.org";
inline constexpr const char* kUcum = "http://unitsofmeasure.org";
// HL7 v2 table 0532 "Expanded yes/no indicator": Y, N, UNK. "unknown" is an explicit answer.
inline constexpr const char* kYesNoUnknown = "http://terminology.hl7.org/CodeSystem/v2-0532";

// The LOINC code of an item or derived measure, or of a suggested test (by test id), if one
// fits exactly; nullopt: only the MyoScreen code.
std::optional<std::pair<std::string, std::string>> loinc_for_measure(std::string_view code);
std::optional<std::pair<std::string, std::string>> loinc_for_test(std::string_view test_id);

// The UCUM code of a unit written in forms/ ("kg/cm²" -> "kg/cm2"); nullopt for a unit with
// no UCUM form.
std::optional<std::string> ucum_for(std::string_view unit);

// "yes" -> "Y", "no" -> "N", "unknown" -> "UNK", and back.
std::optional<std::string> yn_code(std::string_view answer);
std::optional<std::string> yn_answer(std::string_view code);
std::string yn_display(std::string_view code);

// A coding of the MyoScreen CodeSystem.
Json myo_coding(const std::string& code, const std::string& display);

// A UUID (version 4 layout) derived from the seed and the key, as "urn:uuid:...".
std::string derived_urn(std::string_view seed, std::string_view key);

std::string base64_encode(std::string_view bytes);

}  // namespace myo::fhir
