#pragma once
// "Test connection" without freezing the window (the Preferences and the first start): the
// model's test_connection runs on a worker thread, for up to the connection's timeout, and its
// outcome is handed to the GUI thread, unless the dialog that asked is gone by then.

#include <functional>
#include <memory>
#include <string>

#include "gui/model/database_choice.hpp"

namespace myo::gui {

// `alive` is the asking dialog's flag, set to false in its destructor: `done` then is not called.
void test_connection_in_background(std::string conninfo, std::shared_ptr<bool> alive,
                                   std::function<void(const ConnectionTest&)> done);

}  // namespace myo::gui
