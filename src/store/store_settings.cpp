// The Store's practice settings: the letterhead of the reports, checked and audited.
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
