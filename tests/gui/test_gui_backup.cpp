// Issue 12: the daily backup at start-up writes a compressed .db.zst, and a disk too full for it
// is told in the status bar and the backup message, naming the folder and the space.

#include <doctest/doctest.h>
#include <wx/modalhook.h>
#include <wx/msgdlg.h>
#include <wx/statusbr.h>

#include "gui_driver.hpp"
#include "store/free_space.hpp"

using namespace guitest;

namespace {

// Answers every modal dialog at once, remembering its message: the backup's failure box.
class AnswerDialogs : public wxModalDialogHook {
  public:
    AnswerDialogs() { Register(); }
    ~AnswerDialogs() override { Unregister(); }
    wxString seen;

  protected:
    int Enter(wxDialog* dialog) override {
        if (auto* box = dynamic_cast<wxMessageDialogBase*>(dialog)) {
            seen = box->GetMessage();
        }
        return wxID_OK;
    }
    void Exit(wxDialog*) override {}
};

}  // namespace

TEST_CASE("backup at start-up: compressed into backups/; a full disk is told, nothing written") {
    {
        Fixture fx;
        fx.frame->start_daily_backup();
        fx.frame->wait_for_backup();
        settle(100);
        CHECK(fx.frame->backup_status().Contains(".db.zst"));
        int files = 0;
        for (const auto& f : std::filesystem::directory_iterator(fx.store->backup_folder())) {
            files += f.path().extension() == ".zst" ? 1 : 0;
        }
        CHECK(files == 1);
    }
    Fixture fx;
    myo::store::set_free_space_lookup([](const std::filesystem::path&) { return 1000; });
    AnswerDialogs answer;
    fx.frame->start_daily_backup();
    fx.frame->wait_for_backup();
    settle(100);
    myo::store::set_free_space_lookup({});
    const std::string expected =
        "not enough free space in " + fx.store->backup_folder().string() + " for the backup";
    CHECK(fx.frame->backup_status().Contains("FAILED"));
    CHECK(fx.frame->backup_status().Contains(expected));
    CHECK(fx.frame->GetStatusBar()->GetStatusText() == fx.frame->backup_status());
    CHECK(answer.seen.Contains(expected));
    CHECK(answer.seen.Contains("1.0 kB are free"));
    CHECK(std::filesystem::is_empty(fx.store->backup_folder()));
}
