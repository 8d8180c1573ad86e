#pragma once
// How each item type of forms/ becomes a Questionnaire item and a QuestionnaireResponse answer,
// in one place for the Questionnaire, the export and the import. Internal to src/fhir.

#include <string>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/json_util.hpp"

namespace myo::fhir {

// The R4 Questionnaire item type of a form type (yn/enum/multi -> choice, list -> group).
const char* questionnaire_type(ItemType type);

// The QuestionnaireResponse "item" array of the answers, grouped by step as the Questionnaire
// is; items not asked are absent, "unknown" is the explicit answer UNK.
Json response_items(const Definitions& defs, const Json& answers);

// The group after the form's steps that carries what a visit records beside its answers: the
// clinician's notes and the acknowledgements of emergency red flags (who, when). Its linkIds
// ("record", "record.notes", "record.acknowledged" and that group's ".flag", ".by", ".at") are
// not ids of forms/, which are never "record" nor start with it.
inline constexpr const char* kRecordLink = "record";
Json record_question();
// The response's "record" group for `a`, or null when it has no notes and no acknowledgement.
Json record_response(const Assessment& a);

// One answer value of a scalar type as FHIR answer[x] ({"valueInteger": 3}, ...).
Json answer_value(ItemType type, const Json& value, const std::vector<Choice>& choices);

}  // namespace myo::fhir
