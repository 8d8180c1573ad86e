// The Store's patients: adding one (its checks and the conflict rule), finding one, and the
// list, its count and a patient's place in it (search words, order, age and last urgency).
#include <algorithm>
#include <tuple>

#include "core/dates.hpp"
#include "core/text_fold.hpp"
#include "core/text_input.hpp"
#include "store/backend.hpp"
#include "store/message_text.hpp"
#include "store/store.hpp"

namespace myo::store {

std::int64_t Store::ensure_patient(const Patient& p, std::size_t index, bool* created) {
    if (auto stored = backend_->patient_by_key(p.id)) {
        const Patient& s = stored->patient;
        std::vector<Problem> problems;
        std::string who = "patient " + in_quotes(p.id) + " is stored with ";
        if (s.name != p.name) {
            problems.push_back({"/patient/name", who + "name " + in_quotes(s.name) + ", not " +
                                                     in_quotes(p.name) +
                                                     " (a differing name is refused, not "
                                                     "overwritten)"});
        }
        if (s.birth_date != p.birth_date) {
            problems.push_back({"/patient/birth_date",
                                who + "birth date " + s.birth_date + ", not " + p.birth_date +
                                    " (a differing birth date is refused, not overwritten)"});
        }
        const auto& sex = s.sex;
        if (sex && p.sex && *sex != *p.sex) {
            problems.push_back({"/patient/sex", who + "sex " + in_quotes(*sex) + ", not " +
                                                    in_quotes(*p.sex) +
                                                    " (a differing sex is refused, not "
                                                    "overwritten)"});
        }
        if (!problems.empty()) {
            throw PatientConflict(index, std::move(problems));
        }
        if (created != nullptr) {
            *created = false;
        }
        return stored->row;
    }
    auto terms = search_terms(p.name);
    auto id_terms = search_terms(p.id);
    terms.insert(terms.end(), id_terms.begin(), id_terms.end());
    PatientRow row = backend_->insert_patient(p, fold_for_search(p.name), terms);
    if (created != nullptr) {
        *created = true;
    }
    return row;
}

bool Store::add_patient(const Patient& typed) {
    // The one input policy (text_input.hpp): what cannot be printed, or is too long, or holds a
    // NUL or a control character, is refused here, before the patient exists.
    Patient patient = typed;
    patient.id = normalize_text(typed.id);
    patient.name = normalize_text(typed.name);
    for (auto [label, text, kind] :
         {std::tuple{"the patient id", &patient.id, TextKind::kId},
          std::tuple{"the patient's name", &patient.name, TextKind::kName}}) {
        if (auto problem = text_problem(*text, kind)) {
            throw StoreError(std::string(label) + " " + *problem);
        }
    }
    if (auto why = why_no_such_day(patient.birth_date)) {
        throw StoreError("the birth date " + patient.birth_date + " does not exist: " + *why);
    }
    bool sex_ok = !patient.sex || *patient.sex == "female" || *patient.sex == "male" ||
                  *patient.sex == "other" || *patient.sex == "unknown";
    if (patient.id.empty() || patient.name.empty() || !parse_iso_date(patient.birth_date) ||
        !sex_ok) {
        throw StoreError(
            "a patient needs an id, a name, a valid birth date (YYYY-MM-DD) and a sex of female, "
            "male, other or unknown if one is given");
    }
    require_writable("adding the patient");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    bool created = false;
    ensure_patient(patient, 0, &created);
    if (created) {
        audit(audit_action::kCreatePatient, {patient.id, std::nullopt}, "patient created");
    }
    tx->commit();
    return created;
}

std::optional<Patient> Store::find_patient(std::string_view patient_id) {
    auto stored = backend_->patient_by_key(patient_id);
    if (!stored) {
        return std::nullopt;
    }
    return stored->patient;
}

// A search with words but none that can match ("!!!", "-") lists nobody; an empty one lists all.
namespace {
bool only_punctuation(std::string_view search, const std::vector<std::string>& terms) {
    return terms.empty() && search.find_first_not_of(" \t\r\n") != std::string_view::npos;
}
}  // namespace

std::size_t Store::count_patients(std::string_view search, std::size_t cap) {
    auto tx = backend_->begin(StoreBackend::TxKind::Read);
    auto terms = search_terms(search);
    if (only_punctuation(search, terms)) {
        return 0;
    }
    std::size_t n = 0;
    if (terms.empty()) {
        n = backend_->count_all_patients(cap);
    } else {
        n = backend_->count_matches(terms, cap);
    }
    tx->commit();
    return n;
}

std::optional<std::size_t> Store::patient_position(std::string_view patient_id) {
    auto tx = backend_->begin(StoreBackend::TxKind::Read);
    std::optional<std::size_t> position = backend_->patient_position(patient_id);
    tx->commit();
    return position;
}

std::vector<PatientSummary> Store::list_patients(std::string_view search, std::size_t limit,
                                                 std::size_t offset) {
    auto tx = backend_->begin(StoreBackend::TxKind::Read);
    std::vector<PatientRow> rows;
    auto terms = search_terms(search);
    // Every match of a search is listed in name order, so its offset counts in that order too:
    // skipped after sorting, not in the scan's order.
    std::size_t skip_after_sort = 0;
    if (!terms.empty() && limit == 0) {
        skip_after_sort = offset;
        offset = 0;
    }
    std::size_t wanted = limit == 0 ? SIZE_MAX : offset + limit;
    if (only_punctuation(search, terms)) {
        // Only punctuation ("!!!", "-"): no word to match, so nothing matches (it used to
        // list everyone, as an empty search does).
        return {};
    }
    if (terms.empty()) {
        rows = backend_->patient_rows(limit, offset);
    } else {
        std::size_t matched = 0;
        backend_->scan_matches(terms, [&](PatientRow row) {
            if (matched >= offset) {
                rows.push_back(row);
            }
            return ++matched < wanted;
        });
    }
    Date today = today_utc();
    std::vector<std::pair<std::string, PatientSummary>> out;
    out.reserve(rows.size());
    for (auto& listing : backend_->listings(rows)) {
        PatientSummary ps;
        ps.patient = std::move(listing.patient);
        if (auto birth = parse_iso_date(ps.patient.birth_date)) {
            ps.age = whole_years(*birth, today);
        }
        for (const auto& [date, urgency] : listing.visits) {
            ++ps.visits;
            if (!ps.last_visit) {
                ps.last_visit = date;
            }
            if (date == *ps.last_visit) {
                Urgency u = urgency_from(urgency);
                if (!ps.last_urgency || u < *ps.last_urgency) {
                    ps.last_urgency = u;
                }
            }
        }
        out.emplace_back(std::move(listing.sort_name), std::move(ps));
    }
    tx->commit();
    // In name order when every match is here (a page short of its limit, from the start);
    // a page of a longer result keeps the scan's stable order, so --offset pages do not overlap.
    if (!terms.empty() && (limit == 0 || (offset == 0 && out.size() < limit))) {
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    std::vector<PatientSummary> result;
    result.reserve(out.size());
    for (std::size_t i = skip_after_sort; i < out.size(); ++i) {
        result.push_back(std::move(out[i].second));
    }
    return result;
}

}  // namespace myo::store
