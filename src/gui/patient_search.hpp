#pragma once
// The patient search off the GUI thread: typing in the search box must never wait for the
// store (a one-letter search on 100,000 patients, or a two-word one, can take several ms). A
// worker thread with its own read-only Store (one Store per thread) runs the newest search
// only: a search asked while another runs replaces any that waits, so a fast typist queues at
// most one. Results go back to the GUI thread through `deliver` (the owner wraps it in
// CallAfter) with the search's generation, so the owner drops any that is no longer the box's.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/definitions.hpp"
#include "store/store.hpp"

namespace myo::gui {

// What the list shows for one search: how many match and the first rows.
struct PatientPage {
    std::uint64_t generation = 0;
    std::string search;
    std::size_t count = 0;
    bool capped = false;  // the count stopped at the cap: "more than"
    // Rows from 0. When `complete`, every match, in name order; otherwise the first page in the
    // store's order and the rest is fetched as the list scrolls.
    std::vector<store::PatientSummary> rows;
    bool complete = false;
    std::string error;             // the store's refusal, or empty
    bool worker_unusable = false;  // the worker has no Store: the owner searches itself
};

// No word typed (empty or spaces): the whole list, in name order.
inline bool no_search(const std::string& search) {
    return search.find_first_not_of(" \t") == std::string::npos;
}

// Runs one search on `store`: the count (capped for a search; exact without one) and the
// first rows. The one function the worker and the GUI thread's own reload() both use.
PatientPage run_patient_search(store::Store& store, const std::string& search,
                               std::size_t first_rows);

// A search that matches more than this is not counted further: "more than 5,000 patients
// match 'a'" (the count walks the matches; the cap bounds it to a few ms).
inline constexpr std::size_t kSearchCountCap = 5000;
// A search with at most this many matches is read whole and shown in name order.
inline constexpr std::size_t kWholeListRows = 300;
// Rows read per page as the list scrolls.
inline constexpr std::size_t kPatientPageRows = 100;

class PatientSearchWorker {
  public:
    using Deliver = std::function<void(PatientPage)>;
    // Opens nothing yet: the worker's Store is opened on its thread at the first search, so the
    // launch does not pay for it.
    PatientSearchWorker(std::filesystem::path db, const Definitions& defs, Deliver deliver);
    // Waits for the running search (a few ms) and stops the thread; nothing is delivered after.
    ~PatientSearchWorker();
    PatientSearchWorker(const PatientSearchWorker&) = delete;
    PatientSearchWorker& operator=(const PatientSearchWorker&) = delete;

    void search(std::uint64_t generation, std::string text);
    // False when the worker's read-only Store could not be opened: the owner searches itself.
    bool usable() const;
    // Tests only: each search waits this long first, as on a slow disk or a huge store.
    void slow_down_for_test(std::chrono::milliseconds delay);

  private:
    void run();

    std::filesystem::path db_;
    const Definitions& defs_;
    Deliver deliver_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<std::pair<std::uint64_t, std::string>> waiting_;
    bool stop_ = false;
    bool broken_ = false;
    std::chrono::milliseconds test_delay_{0};
    std::thread thread_;
};

}  // namespace myo::gui
