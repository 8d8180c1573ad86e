#include "store_test_util.hpp"

#include <fstream>
#include <sstream>

#include "cli/cli_app.hpp"
#include "support/test_support.hpp"

namespace myo::test {

std::string slurp(const std::filesystem::path& path) {
    return read_text_file(path);
}

void spit(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

std::filesystem::path write_vignette_file(const std::filesystem::path& vignette,
                                          const std::filesystem::path& dir) {
    auto path = dir / vignette.filename();
    spit(path, write_assessment(vignette_assessment(vignette)));
    return path;
}

Assessment sample_assessment(const std::string& id, const std::string& name,
                             const std::string& date) {
    Assessment a = vignette_assessment(vignette_files().front());
    a.patient.id = id;
    a.patient.name = name;
    a.date = date;
    return a;
}

CliResult cli(const std::filesystem::path& db, std::vector<std::string> args) {
    args.insert(args.begin(), {"--forms", forms_dir().string(), "--db", db.string()});
    std::ostringstream out;
    std::ostringstream err;
    CliResult r;
    r.status = myo::cli::run(args, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

}  // namespace myo::test
