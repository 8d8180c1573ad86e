#include "gui/patient_search.hpp"

#include <memory>
#include <utility>

namespace myo::gui {

PatientPage run_patient_search(store::Store& store, const std::string& search,
                               std::size_t first_rows) {
    PatientPage page;
    page.search = search;
    try {
        const bool empty = no_search(search);
        // Without a search the count is exact (count(*) over an index, ~2 ms at 100,000).
        page.count = store.count_patients(search, empty ? 0 : kSearchCountCap);
        page.capped = !empty && page.count >= kSearchCountCap;
        if (!empty && page.count <= kWholeListRows) {
            // Few enough to read whole: in name order, as a person scans a short list.
            page.rows = store.list_patients(search);
            page.count = page.rows.size();
            page.complete = true;
        } else {
            page.rows = store.list_patients(search, first_rows);
            page.complete = page.rows.size() >= page.count;
        }
    } catch (const std::exception& e) {
        page.rows.clear();
        page.count = 0;
        page.error = e.what();
    }
    return page;
}

PatientSearchWorker::PatientSearchWorker(std::filesystem::path db, const Definitions& defs,
                                         Deliver deliver)
    : db_(std::move(db)), defs_(defs), deliver_(std::move(deliver)) {
    thread_ = std::thread([this] { run(); });
}

PatientSearchWorker::~PatientSearchWorker() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void PatientSearchWorker::search(std::uint64_t generation, std::string text) {
    {
        std::lock_guard lock(mutex_);
        waiting_ = std::make_pair(generation, std::move(text));
    }
    wake_.notify_one();
}

bool PatientSearchWorker::usable() const {
    std::lock_guard lock(mutex_);
    return !broken_;
}

void PatientSearchWorker::run() {
    std::unique_ptr<store::Store> store;
    for (;;) {
        std::pair<std::uint64_t, std::string> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || waiting_.has_value(); });
            if (stop_) {
                return;
            }
            job = std::move(*waiting_);
            waiting_.reset();
        }
        if (!store) {
            try {
                // The GUI's own Store has checked the file at launch; this one only reads.
                store::OpenOptions options;
                options.read_only = true;
                options.quick_check = false;
                store = std::make_unique<store::Store>(db_, defs_, options);
            } catch (const std::exception&) {
                std::lock_guard lock(mutex_);
                broken_ = true;
            }
        }
        PatientPage page;
        if (store) {
            page = run_patient_search(*store, job.second, kPatientPageRows);
        } else {
            page.search = job.second;
            page.error = "unusable";  // the owner searches on its own thread instead
        }
        page.generation = job.first;
        deliver_(std::move(page));
    }
}

}  // namespace myo::gui
