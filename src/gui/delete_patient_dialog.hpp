#pragma once
// File > Delete patient (issue 7): names the patient and what goes with them, says that a
// verified backup is taken first, and asks the clinician to type the patient's name. The store
// checks the name (delete_patient's confirmation) and takes the backup; a wrong name deletes
// nothing and the dialog says so. On a clinic server (issue 14) the count of visits is read on
// the window's read worker and the deletion runs on its write worker: the dialog says what it
// waits for, and what was not done when the server does not answer in time.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <wx/dialog.h>

#include "core/assessment.hpp"
#include "gui/store_worker.hpp"
#include "store/store.hpp"

class wxTextCtrl;
class wxStaticText;
class wxButton;

namespace myo::gui {

class StoreReads;
class StoreWorker;
class WrappedLabel;

class DeletePatientDialog : public wxDialog {
  public:
    // `reads` / `writes`: the window's workers on a clinic server, null for a file.
    DeletePatientDialog(wxWindow* parent, store::Store& store, const Patient& patient,
                        StoreWorker* reads = nullptr, StoreWorker* writes = nullptr);
    ~DeletePatientDialog() override;

    // Deletes through the store if the typed name matches; false (message shown) otherwise,
    // and while the server has not answered (waiting(); a shown modal dialog then ends with
    // wxID_OK when the deletion is done, and report() is set).
    bool accept();
    bool waiting() const { return waiting_; }
    // How long the deletion (a verified backup first) may take before the dialog says the
    // server did not answer.
    static constexpr std::chrono::milliseconds kDeleteTimeout{120000};
    const std::optional<store::DeletionReport>& report() const { return report_; }

    wxTextCtrl* name_field() const { return name_; }
    wxButton* delete_button() const { return delete_; }
    wxString message() const;

    wxString warning_text() const;

  private:
    void deleted(StoreReply<store::DeletionReport> r);
    void show_warning(const wxString& visits);

    std::unique_ptr<StoreReads> reads_;
    std::unique_ptr<StoreReads> writes_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    bool waiting_ = false;
    wxStaticText* what_ = nullptr;
    std::string backup_folder_;
    Patient patient_;
    wxTextCtrl* name_ = nullptr;
    WrappedLabel* message_ = nullptr;
    wxButton* delete_ = nullptr;
    std::optional<store::DeletionReport> report_;
};

}  // namespace myo::gui
