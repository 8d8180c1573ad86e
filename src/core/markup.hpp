#pragma once
// Text placed inside markup: the summary page's HTML (wxHtml) and the PDF/A reports' XMP
// metadata (XML). `& < > "` become entities, so a name or clinic such as "Smith & <Sons>"
// stays text in either; &apos; is left out because wxHtml (HTML 4) does not know it, and
// neither caller puts text inside single-quoted attributes.

#include <string>
#include <string_view>

namespace myo {

inline std::string escape_markup(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace myo
