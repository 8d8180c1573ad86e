#include "cli/store_output.hpp"

#include <algorithm>
#include <ostream>

#include "store/paths.hpp"
#include "store/target.hpp"

namespace myo::cli {

std::filesystem::path database_path(const Context& ctx) {
    if (!ctx.db_path) {
        return store::default_database_path();
    }
    // A file, or a PostgreSQL connection string (store/target.hpp) that the Store and the db
    // verbs take to the server; its policy (no password in it, TLS for a remote host) is applied
    // when connecting, before anything is written.
    return *ctx.db_path;
}

bool on_server(const Context& ctx) {
    return ctx.db_path && store::parse_target(ctx.db_path->string()).is_postgresql();
}

fileio::ProtectedSet protected_targets(Context& ctx,
                                       const std::vector<std::filesystem::path>& inputs) {
    fileio::ProtectedSet set;
    // A connection string is no file: nothing of this computer is its family.
    if (!on_server(ctx)) {
        try {
            store::protect_database(set, database_path(ctx));
        } catch (const store::StoreError&) {
            // No --db and no HOME: there is no database to protect.
        }
    }
    set.add_folder(ctx.definitions().dir, "the forms folder");
    set.add_folder(ctx.definitions().dir / ".." / "reports", "the report texts folder");
    for (const auto& input : inputs) {
        if (input != "-") {
            set.add_file(input, "an input file of this command");
        }
    }
    return set;
}

std::unique_ptr<store::Store> open_store(Context& ctx) {
    const Definitions& defs = ctx.definitions();
    store::OpenOptions options;
    options.read_only = ctx.read_only;
    options.quick_check = ctx.check;
    try {
        auto store = std::make_unique<store::Store>(database_path(ctx), defs, options);
        if (!store->read_only_limitation().empty()) {
            *ctx.err << "myoscreen-cli: note: " << store->read_only_limitation() << "\n";
        }
        return store;
    } catch (const store::AlreadyOpen& e) {
        throw store::AlreadyOpen(e.pid(),
                                 std::string(e.what()) + " (add --read-only to read it meanwhile)");
    }
}

namespace {

std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string Table::render() const {
    std::vector<std::size_t> width(header.size(), 0);
    auto measure = [&width](const std::vector<std::string>& row) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            width[i] = std::max(width[i], display_width(row[i]));
        }
    };
    measure(header);
    for (const auto& row : rows) {
        measure(row);
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& row) {
        std::string text;
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
            std::string pad(width[i] - display_width(row[i]), ' ');
            bool last = i + 1 == row.size();
            if (i < right.size() && right[i]) {
                text += pad + row[i];
            } else {
                text += row[i] + (last ? "" : pad);
            }
            if (!last) {
                text += "  ";
            }
        }
        out += text + "\n";
    };
    line(header);
    for (const auto& row : rows) {
        line(row);
    }
    return out;
}

int guarded(Context& ctx, const std::function<int()>& verb) {
    try {
        return verb();
    } catch (const store::StoreError& e) {
        *ctx.err << "myoscreen-cli: " << e.what() << "\n";
        return kExitInvalid;
    }
}

}  // namespace myo::cli
