// The Store's practice settings: the letterhead of the reports, checked and audited.
#include <cctype>
#include <tuple>

#include "core/text_input.hpp"
#include "store/backend.hpp"
#include "store/message_text.hpp"
#include "store/store.hpp"

namespace myo::store {

Settings Store::load_settings() {
    Settings s;
    for (const auto& [key, value] : backend_->settings()) {
        if (key == "clinic_name") {
            s.clinic_name = value;
        } else if (key == "clinic_address") {
            s.clinic_address = value;
        } else if (key == "clinician_name") {
            s.clinician_name = value;
        }
    }
    return s;
}

void Store::save_settings(const Settings& typed) {
    Settings settings = typed;
    for (auto [label, text, kind] :
         {std::tuple{"the clinic name", &settings.clinic_name, TextKind::kName},
          std::tuple{"the clinic address", &settings.clinic_address, TextKind::kAddress},
          std::tuple{"the clinician name", &settings.clinician_name, TextKind::kName}}) {
        *text = normalize_text(*text);
        if (auto problem = text_problem(*text, kind)) {
            throw StoreError(std::string(label) + " " + *problem);
        }
    }
    require_writable("saving the settings");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    Settings before = load_settings();
    const std::pair<const char*, const std::string*> values[] = {
        {"clinic_name", &settings.clinic_name},
        {"clinic_address", &settings.clinic_address},
        {"clinician_name", &settings.clinician_name}};
    for (const auto& [key, value] : values) {
        backend_->put_setting(key, *value);
    }
    std::vector<std::string> changed;
    if (before.clinic_name != settings.clinic_name) {
        changed.emplace_back("clinic name");
    }
    if (before.clinic_address != settings.clinic_address) {
        changed.emplace_back("clinic address");
    }
    if (before.clinician_name != settings.clinician_name) {
        changed.emplace_back("clinician name");
    }
    if (!changed.empty()) {
        audit(audit_action::kSettings, {}, "settings changed: " + joined(changed));
    }
    tx->commit();
}

}  // namespace myo::store

namespace myo::store {

namespace {
constexpr const char* kFhirIdSystemKey = "fhir_patient_id_system";
}

std::string Store::fhir_patient_id_system() {
    for (const auto& [key, value] : backend_->settings()) {
        if (key == kFhirIdSystemKey) {
            return value;
        }
    }
    return "";
}

void Store::save_fhir_patient_id_system(const std::string& uri) {
    // An identifier system is an absolute URI (RFC 3986: a scheme, then ':'), e.g.
    // https://clinic.example/patient-ids or urn:oid:1.2.3; a receiver matches it exactly.
    const auto colon = uri.find(':');
    const bool scheme_ok = colon != std::string::npos && colon > 0 &&
                           std::isalpha(static_cast<unsigned char>(uri[0])) != 0;
    bool chars_ok = uri.size() <= 255;
    for (const char c : uri) {
        const auto ch = static_cast<unsigned char>(c);
        chars_ok = chars_ok && ch > 0x20 && ch < 0x7f;
    }
    if (!scheme_ok || !chars_ok || colon + 1 == uri.size()) {
        throw StoreError(
            "the FHIR patient id system must be an absolute URI (e.g. "
            "https://clinic.example/patient-ids or urn:oid:1.2.3) of at most 255 "
            "printable ASCII characters without spaces");
    }
    require_writable("saving the settings");
    auto tx = backend_->begin(StoreBackend::TxKind::Write);
    if (fhir_patient_id_system() != uri) {
        backend_->put_setting(kFhirIdSystemKey, uri);
        audit(audit_action::kSettings, {}, "settings changed: FHIR patient id system");
    }
    tx->commit();
}

}  // namespace myo::store
