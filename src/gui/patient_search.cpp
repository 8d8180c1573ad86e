#include "gui/patient_search.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace myo::gui {

PatientPage run_patient_search(store::Store& store, const std::string& search,
                               std::size_t first_rows) {
    PatientPage page;
    page.search = search;
    try {
        if (no_search(search)) {
            // The whole list: the count is exact (count(*) over an index, ~5 ms at 100,000).
            page.count = store.count_patients();
            page.rows = store.list_patients({}, first_rows);
            page.complete = page.rows.size() >= page.count;
            return page;
        }
        // One scan that stops after kWholeListRows + 1 matches: a narrow search (the common
        // case once a name is half typed) is then complete, and the store returns a result
        // shorter than its limit in name order (as a whole list); only a broad one is counted
        // on (capped).
        page.rows = store.list_patients(search, kWholeListRows + 1);
        if (page.rows.size() <= kWholeListRows) {
            page.count = page.rows.size();
            page.complete = true;
        } else {
            page.count = store.count_patients(search, kSearchCountCap);
            page.capped = page.count >= kSearchCountCap;
            // The rows of the first pages, in the store's scan order (the pages after it follow).
            page.rows.resize(std::min(page.rows.size(), std::max(first_rows, kWholeListRows)));
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

void PatientSearchWorker::slow_down_for_test(std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    test_delay_ = delay;
}

void PatientSearchWorker::run() {
    std::unique_ptr<store::Store> store;
    for (;;) {
        std::pair<std::uint64_t, std::string> job;
        std::chrono::milliseconds delay{0};
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || waiting_.has_value(); });
            if (stop_) {
                return;
            }
            job = std::move(*waiting_);
            waiting_.reset();
            delay = test_delay_;
        }
        if (delay.count() > 0) {
            std::this_thread::sleep_for(delay);
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
            page.worker_unusable = true;  // the owner searches on its own thread instead
        }
        page.generation = job.first;
        deliver_(std::move(page));
    }
}

}  // namespace myo::gui
