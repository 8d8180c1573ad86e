// The Store's assessments: drafts, finals and corrections (versions of a visit), imports, and
// reading them back with their history.
#include <algorithm>

#include "core/rules.hpp"
#include "core/text_input.hpp"
#include "store/assessment_figures.hpp"
#include "store/audit_summary.hpp"
#include "store/backend.hpp"
#include "store/message_text.hpp"
#include "store/store.hpp"

namespace myo::store {

AssessmentInfo Store::info(std::int64_t id) {
    auto found = backend_->assessment_info(id);
    if (!found) {
        throw NotFound("there is no assessment " + std::to_string(id));
    }
    return *found;
}

std::string Store::load_document(std::int64_t id) {
    auto found = backend_->assessment_document(id);
    if (!found) {
        throw NotFound("there is no assessment " + std::to_string(id));
    }
    return *found;
}

StoredAssessment Store::load(std::int64_t id) {
    auto tx = backend_->begin(StoreBackend::TxKind::Read);
    StoredAssessment out;
    out.info = info(id);
    out.document = load_document(id);
    tx->commit();
    auto parsed = parse_assessment(out.document, defs_, Origin::kStored);
    if (!parsed.assessment) {
        throw AssessmentError("assessment " + std::to_string(id), std::move(parsed.problems));
    }
    out.assessment = std::move(*parsed.assessment);
    return out;
}

std::int64_t Store::create_draft(const Assessment& given) {
    // Stored as a file bringing the same text would be (NFC, no invisible format characters).
    Assessment assessment = given;
    normalize_assessment(assessment, defs_);
    check_valid(assessment, "new assessment");
    require_writable("the new assessment");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    bool created = false;
    std::int64_t patient = ensure_patient(assessment.patient, 0, &created);
    std::int64_t id = backend_->insert_assessment(patient, figures_of(defs_, assessment),
                                                  Status::Draft, std::nullopt, 1, std::nullopt);
    audit(audit_action::kCreate, {assessment.patient.id, id},
          "new draft of a visit on " + assessment.date + (created ? "; patient created" : ""));
    tx->commit();
    return id;
}

void Store::save_draft(std::int64_t id, const Assessment& assessment) {
    save_draft_at(id, assessment, std::nullopt);
}

std::int64_t Store::save_draft(std::int64_t id, const Assessment& assessment,
                               std::int64_t expected_version) {
    return save_draft_at(id, assessment, expected_version);
}

std::int64_t Store::save_draft_at(std::int64_t id, const Assessment& given,
                                  std::optional<std::int64_t> expected_version) {
    Assessment assessment = given;
    normalize_assessment(assessment, defs_);
    check_valid(assessment, "assessment " + std::to_string(id));
    require_writable("saving the draft");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    // A draft saved, finalised or discarded since the caller read it: refused before the rules
    // below, so that the message says who did it, not only that it is final or missing.
    if (expected_version) {
        auto now = backend_->assessment_info(id);
        if (!now || now->row_version != *expected_version) {
            backend_->refuse_stale_save(id, *expected_version);
        }
    }
    AssessmentInfo current = info(id);
    if (current.status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) +
                          " is final and cannot be changed; amend it to make a correction");
    }
    if (current.patient_id != assessment.patient.id) {
        throw NotEditable("assessment " + std::to_string(id) + " belongs to patient " +
                          in_quotes(current.patient_id) +
                          "; a draft cannot move to another patient (discard it and start a new "
                          "one)");
    }
    ensure_patient(assessment.patient, 0, nullptr);
    std::string before = load_document(id);
    AssessmentFigures f = figures_of(defs_, assessment);
    backend_->update_draft(id, f, expected_version);
    audit(audit_action::kEdit, {current.patient_id, id}, change_summary(before, f.document));
    std::int64_t saved_version = info(id).row_version;
    tx->commit();
    return saved_version;
}

void Store::discard_draft(std::int64_t id) {
    require_writable("discarding the draft");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    AssessmentInfo current = info(id);
    if (current.status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) + " is final and cannot be deleted");
    }
    backend_->delete_draft(id);
    audit(audit_action::kDiscard, {current.patient_id, id},
          "draft version " + std::to_string(current.version) + " discarded");
    tx->commit();
}

void Store::finalize(std::int64_t id) {
    require_writable("signing off");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    AssessmentInfo current = info(id);
    if (current.status == Status::Final) {
        throw NotEditable("assessment " + std::to_string(id) + " is final already");
    }
    backend_->mark_final(id);
    audit(audit_action::kFinalize, {current.patient_id, id},
          "signed off as final (version " + std::to_string(current.version) + ")");
    tx->commit();
}

std::int64_t Store::amend(std::int64_t final_id) {
    require_writable("the correction");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    AssessmentInfo original = info(final_id);
    if (original.status != Status::Final) {
        throw NotEditable("assessment " + std::to_string(final_id) +
                          " is a draft: edit it instead of amending it");
    }
    if (original.superseded_by) {
        throw NotEditable("assessment " + std::to_string(final_id) + " was already corrected by " +
                          std::to_string(*original.superseded_by) + "; amend the newest version");
    }
    auto parsed = parse_assessment(load_document(final_id), defs_, Origin::kStored);
    if (!parsed.assessment) {
        throw AssessmentError("assessment " + std::to_string(final_id), std::move(parsed.problems));
    }
    std::int64_t id = backend_->insert_assessment(
        backend_->assessment_patient(final_id), figures_of(defs_, *parsed.assessment),
        Status::Draft, original.visit, original.version + 1, final_id);
    audit(audit_action::kAmend, {original.patient_id, id},
          "correction of assessment " + std::to_string(final_id) + " started as draft version " +
              std::to_string(original.version + 1));
    tx->commit();
    return id;
}

std::vector<ImportResult> Store::import_assessments(const std::vector<Assessment>& given) {
    std::vector<Assessment> assessments = given;
    for (auto& a : assessments) {
        normalize_assessment(a, defs_);
    }
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        check_valid(assessments[i], "assessment " + std::to_string(i + 1));
    }
    require_writable("the import");
    std::vector<ImportResult> results;
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    for (std::size_t i = 0; i < assessments.size(); ++i) {
        const Assessment& a = assessments[i];
        ImportResult r;
        std::int64_t patient = ensure_patient(a.patient, i, &r.patient_created);
        if (auto same = backend_->final_with_document(patient, write_assessment(a))) {
            r.id = *same;
            r.already_stored = true;
        } else {
            r.id = backend_->insert_assessment(patient, figures_of(defs_, a), Status::Final,
                                               std::nullopt, 1, std::nullopt);
            audit(audit_action::kImport, {a.patient.id, r.id},
                  "imported as final, visit on " + a.date +
                      (r.patient_created ? "; patient created" : ""));
        }
        results.push_back(r);
    }
    tx->commit();
    return results;
}

std::vector<AssessmentInfo> Store::history(std::string_view patient_id) {
    auto tx = backend_->begin(StoreBackend::TxKind::Read);
    if (!find_patient(patient_id)) {
        throw NotFound("there is no patient " + in_quotes(std::string(patient_id)));
    }
    std::vector<AssessmentInfo> out = backend_->history(patient_id);
    tx->commit();
    return out;
}

std::vector<AssessmentInfo> Store::current_finals(std::string_view patient_id) {
    auto all = history(patient_id);
    std::vector<AssessmentInfo> out;
    // The newest final of each visit: a draft correction does not hide the final it corrects.
    for (const auto& i : all) {
        if (i.status != Status::Final) {
            continue;
        }
        bool newer_final = std::any_of(all.begin(), all.end(), [&i](const AssessmentInfo& o) {
            return o.visit == i.visit && o.status == Status::Final && o.version > i.version;
        });
        if (!newer_final) {
            out.push_back(i);
        }
    }
    return out;
}

}  // namespace myo::store
