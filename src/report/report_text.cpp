#include "report/report_text.hpp"

#include <algorithm>

#include "core/definitions.hpp"
#include "report/report_error.hpp"

#ifndef MYOSCREEN_INSTALL_DATADIR
#define MYOSCREEN_INSTALL_DATADIR "/usr/local/share"
#endif

namespace myo::report {

std::string fill_template(const std::string& text, const Values& values, const std::string& where) {
    std::string out;
    out.reserve(text.size() + 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
            out += '{';
            ++i;
        } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
            out += '}';
            ++i;
        } else if (c == '{') {
            const auto close = text.find('}', i);
            if (close == std::string::npos) {
                throw ReportError(where + ": unclosed \"{\" in \"" + text + "\"");
            }
            const std::string name = text.substr(i + 1, close - i - 1);
            auto it = values.find(name);
            if (it == values.end()) {
                throw ReportError(where + ": unknown placeholder {" + name + "}");
            }
            out += it->second;
            i = close;
        } else {
            out += c;
        }
    }
    return out;
}

ReportText ReportText::load(const std::filesystem::path& dir, const std::string& kind,
                            const std::vector<std::string>& known_sections,
                            const std::vector<std::string>& required_keys) {
    ReportText t;
    const auto path = dir / (kind + ".json");
    t.file_ = path.string();
    std::string text;
    try {
        text = read_text_file(path);
    } catch (const std::exception&) {
        throw DefinitionError(t.file_, {{"", "cannot be read"}});
    }
    ParsedJson parsed = parse_json(text);
    if (!parsed.value) {
        throw DefinitionError(t.file_, parsed.problems);
    }
    t.doc_ = std::move(*parsed.value);
    std::vector<Problem> problems;
    if (!t.doc_.is_object()) {
        throw DefinitionError(t.file_, {{"", "expected an object"}});
    }
    auto sections = t.doc_.find("sections");
    if (sections == t.doc_.end() || !sections->is_array()) {
        problems.push_back({"/sections", "expected an array of section ids"});
    } else {
        for (std::size_t i = 0; i < sections->size(); ++i) {
            const Json& s = (*sections)[i];
            if (!s.is_string() || std::find(known_sections.begin(), known_sections.end(),
                                            s.get<std::string>()) == known_sections.end()) {
                std::string known;
                for (const auto& k : known_sections) {
                    known += (known.empty() ? "" : ", ") + k;
                }
                problems.push_back(
                    {join_path("/sections", i),
                     "unknown section " + describe_value(s) + " (known: " + known + ")"});
            } else {
                t.sections_.push_back(s.get<std::string>());
            }
        }
    }
    auto texts = t.doc_.find("text");
    if (texts == t.doc_.end() || !texts->is_object()) {
        problems.push_back({"/text", "expected an object of texts"});
    } else {
        for (const auto& key : required_keys) {
            auto it = texts->find(key);
            if (it == texts->end() || !it->is_string()) {
                problems.push_back({join_path("/text", key), "missing text (a string)"});
            }
        }
    }
    if (!problems.empty()) {
        throw DefinitionError(t.file_, problems);
    }
    return t;
}

const std::string& ReportText::get(const std::string& key) const {
    const Json& texts = doc_["text"];
    auto it = texts.find(key);
    if (it == texts.end() || !it->is_string()) {
        throw ReportError(file_ + ": /text/" + key + ": missing text");
    }
    return it->get_ref<const std::string&>();
}

std::string ReportText::fill(const std::string& key, const Values& values) const {
    return fill_template(get(key), values, file_ + ": /text/" + key);
}

std::optional<std::string> ReportText::phrase(const std::string& table,
                                              const std::string& id) const {
    auto t = doc_.find(table);
    if (t == doc_.end() || !t->is_object()) {
        return std::nullopt;
    }
    auto it = t->find(id);
    if (it == t->end() || !it->is_string()) {
        return std::nullopt;
    }
    return it->get<std::string>();
}

std::optional<std::filesystem::path> find_reports_dir(const std::filesystem::path& forms_dir) {
    std::error_code ec;
    const std::vector<std::filesystem::path> candidates = {
        forms_dir / ".." / "reports", executable_dir() / ".." / "share" / "myoscreen" / "reports",
        std::filesystem::path(MYOSCREEN_INSTALL_DATADIR) / "myoscreen" / "reports"};
    for (const auto& c : candidates) {
        if (std::filesystem::exists(c / "referral.json", ec)) {
            return std::filesystem::weakly_canonical(c, ec);
        }
    }
    return std::nullopt;
}

}  // namespace myo::report
