// Issue 16, File > Export FHIR... with the real windows under Xvfb: the open visit is written
// as a FHIR Bundle (with the referral note), recorded in the trail, and reads back to the same
// answers.

#include <doctest/doctest.h>

#include <wx/menu.h>

#include "fhir/fhir.hpp"
#include "gui/assessment_editor.hpp"
#include "gui/fhir_output.hpp"
#include "gui/gui_driver.hpp"
#include "gui/main_frame.hpp"
#include "gui/patient_panel.hpp"
#include "support/test_support.hpp"

using namespace myo;
using namespace myo::gui;
using namespace guitest;

TEST_CASE("fhir: File > Export FHIR... writes the open visit as a Bundle that reads back") {
    Fixture fx;
    const Assessment v =
        test::vignette_assessment(test::data_dir() / "vignettes" / "v4_dark_urine.json");
    fx.store->add_patient(v.patient);
    fx.store->save_fhir_patient_id_system("https://clinic.example/patient-ids");
    fx.frame->patients()->reload();
    fx.frame->patients()->select_patient(v.patient.id);
    AssessmentEditor* ed = fx.frame->editor();
    ed->start(v);
    fx.frame->show_assessment();
    settle(120);

    wxMenuBar* bar = fx.frame->GetMenuBar();
    REQUIRE(bar != nullptr);
    CHECK(bar->FindMenuItem(_("File"), _("Export FHIR...")) != wxNOT_FOUND);

    const auto path = fx.dir.path() / fhir_file_name(v);
    const auto written = ed->export_fhir(path.string());
    REQUIRE(written);
    settle(120);
    screenshot("fhir-exported");
    const std::string text = read_text_file(path);
    CHECK(text.find("\"DocumentReference\"") != std::string::npos);
    CHECK(text.find("https://clinic.example/patient-ids") != std::string::npos);
    const Assessment back = fhir::import_bundle(test::definitions(), text, path.string());
    CHECK(nlohmann::json(back.answers) == nlohmann::json(v.answers));
    CHECK(back.patient.id == v.patient.id);

    bool recorded = false;
    for (const auto& row : fx.store->audit_trail()) {
        recorded = recorded || row.summary.find("exported as FHIR to") != std::string::npos;
    }
    CHECK(recorded);
}
