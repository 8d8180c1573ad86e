#include "gui/clinic_link.hpp"

#include <wx/event.h>

#include <algorithm>

#include "store/pg/pg_errors.hpp"
#include "store/store.hpp"

namespace myo::gui {

namespace {

// How long one wait for notifications lasts: the longest a job (or the end) waits to be seen.
constexpr std::chrono::milliseconds kListenSlice{200};
// The heartbeat: a quarter of the server's stale_after (30 s at the default 2 minutes), so
// a missed beat or two never loses the lease.
constexpr std::chrono::milliseconds kLongestBeat{30000};

}  // namespace

ClinicLink::ClinicLink(std::filesystem::path target, const Definitions& defs, wxEvtHandler* sink,
                       Handlers handlers)
    : target_(std::move(target)), defs_(defs), sink_(sink), handlers_(std::move(handlers)) {
    worker_ = std::thread([this] { run(); });
}

ClinicLink::~ClinicLink() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

void ClinicLink::hold(std::int64_t draft) {
    post({Job::Hold, draft});
}

void ClinicLink::drop() {
    post({Job::Drop, 0});
}

void ClinicLink::take_over(std::int64_t draft, bool even_if_live) {
    post({even_if_live ? Job::TakeOverLive : Job::TakeOver, draft});
}

void ClinicLink::post(Job job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(job);
    }
    wake_.notify_all();
}

void ClinicLink::deliver(std::function<void()> fn) {
    // wxEvtHandler::CallAfter is safe from any thread; the call is dropped with the handler.
    sink_->CallAfter(std::move(fn));
}

void ClinicLink::run() {
    std::optional<store::Store> db;  // this thread's own
    std::int64_t held = 0;           // the draft whose lease is ours (0: none; ids start at 1)
    std::string my_login;
    std::string my_workstation;
    bool reconnecting = false;
    auto beat_every = kLongestBeat;
    auto next_beat = std::chrono::steady_clock::now();
    auto fail = [this](const std::exception& e) {
        std::string text = e.what();
        deliver([this, text] {
            if (handlers_.error) {
                handlers_.error(text);
            }
        });
    };
    for (;;) {
        std::deque<Job> jobs;
        {
            std::unique_lock lock(mutex_);
            if (stop_) {
                break;
            }
            jobs.swap(jobs_);
        }
        try {
            if (!db) {
                db.emplace(target_, defs_);
                if (reconnecting) {
                    // What was announced while the session was gone is lost: read it all again.
                    std::vector<store::ChangeNote> all{{"patients", "reconnect", 0, "", ""}};
                    deliver([this, all] {
                        if (handlers_.changes) {
                            handlers_.changes(all);
                        }
                    });
                    reconnecting = false;
                }
                if (auto s = db->server_session()) {
                    my_login = s->login;
                    my_workstation = s->workstation;
                }
                auto stale = db->lease_stale_after();
                if (stale.count() > 0) {
                    beat_every = std::min(kLongestBeat, stale / 4);
                }
                deliver([this, stale] {
                    if (handlers_.stale_after) {
                        handlers_.stale_after(stale);
                    }
                });
            }
            while (!jobs.empty()) {
                const Job job = jobs.front();
                if (job.kind == Job::Drop ||
                    (job.kind == Job::Hold && held != 0 && held != job.draft)) {
                    if (held != 0) {
                        db->release_draft_lease(held);
                        held = 0;
                    }
                }
                if (job.kind != Job::Drop) {
                    try {
                        store::DraftLease lease = job.kind == Job::TakeOverLive
                                                      ? db->take_over_draft_lease(job.draft)
                                                      : db->take_draft_lease(job.draft);
                        if (lease.ours) {
                            held = job.draft;
                            next_beat = std::chrono::steady_clock::now() + beat_every;
                        }
                        deliver([this, draft = job.draft, lease] {
                            if (handlers_.lease) {
                                handlers_.lease(draft, lease);
                            }
                        });
                    } catch (const store::pg::ConnectFailed&) {
                        throw;  // tried again once the server answers (below)
                    } catch (const std::exception& e) {
                        fail(e);  // an answer (finalised meanwhile, a readonly login): once
                    }
                }
                jobs.pop_front();
            }
            if (held != 0 && !heartbeats_suspended_ &&
                std::chrono::steady_clock::now() >= next_beat) {
                next_beat = std::chrono::steady_clock::now() + beat_every;
                if (!db->renew_draft_lease(held)) {
                    // No longer ours, and the notice of who took it may have been missed (it
                    // came while this session was gone: a server restart, a cable out). Ask:
                    // someone holds it (say who), nobody does (it is ours again: the saves'
                    // version check still shows anything changed meanwhile), or the draft was
                    // finalised or discarded (lost, nobody to name). A lease that the one who took
                    // it left stale is taken back, audited as a take-over like any other.
                    std::string by;
                    std::string where;
                    bool regained = false;
                    try {
                        const store::DraftLease now = db->take_draft_lease(held);
                        regained = now.ours;
                        by = now.holder;
                        where = now.workstation;
                    } catch (const store::pg::ConnectFailed&) {
                        throw;  // asked again once the server answers
                    } catch (const std::exception&) {
                        // Finalised or discarded elsewhere: lost, with nobody to name.
                    }
                    if (!regained) {
                        std::int64_t lost = held;
                        held = 0;
                        deliver([this, lost, by, where] {
                            if (handlers_.lease_lost) {
                                handlers_.lease_lost(lost, by, where);
                            }
                        });
                    }
                }
            }
            auto notes = db->wait_for_changes(kListenSlice);
            if (held != 0) {
                // Someone else took our draft's lease (after it went stale, or explicitly): told
                // at once, not at the next heartbeat.
                for (const auto& n : notes) {
                    if (n.table == "draft_leases" && n.op == "insert" && n.id == held &&
                        (n.by != my_login || n.workstation != my_workstation)) {
                        std::int64_t lost = held;
                        held = 0;
                        deliver([this, lost, by = n.by, ws = n.workstation] {
                            if (handlers_.lease_lost) {
                                handlers_.lease_lost(lost, by, ws);
                            }
                        });
                        break;
                    }
                }
            }
            if (!notes.empty()) {
                deliver([this, notes] {
                    if (handlers_.changes) {
                        handlers_.changes(notes);
                    }
                });
            }
        } catch (const std::exception& e) {
            fail(e);
            // The session may be gone: a new Store next round, after a pause that keeps a
            // server that is down from being hammered. What was asked and not done yet is
            // done then (a lease asked for while the server was away is taken when it is back).
            db.reset();
            reconnecting = true;
            std::unique_lock lock(mutex_);
            jobs_.insert(jobs_.begin(), jobs.begin(), jobs.end());
            wake_.wait_for(lock, std::chrono::seconds(2), [this] { return stop_; });
        }
    }
    // The window is closing: the draft is no longer being edited here.
    if (db && held != 0) {
        try {
            db->release_draft_lease(held);
        } catch (const std::exception&) {
            // The server will see the lease go stale.
        }
    }
}

}  // namespace myo::gui
