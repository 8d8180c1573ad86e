#pragma once
// Names in every script the reports print (issue 10), shared by the script tests
// (test_scripts.cpp) and the PDF/A validation (test_pdfa.cpp).

#include <string>
#include <vector>

namespace myo::test {

struct NameCase {
    const char* script;
    std::string typed;    // as a clinic might type or import it
    std::string printed;  // what the report shows and copies out
};

inline const std::vector<NameCase>& names() {
    static const std::vector<NameCase> cases = {
        {"Romanian", "Ștefan Țăranu", "Ștefan Țăranu"},
        {"Vietnamese", "Nguyễn Thị Ánh Hằng", "Nguyễn Thị Ánh Hằng"},
        {"Azeri", "Əliyev Rəşad", "Əliyev Rəşad"},
        {"Kazakh", "Әсем Құдайбергенұлы", "Әсем Құдайбергенұлы"},
        {"Armenian", "Արամ Խաչատրյան", "Արամ Խաչատրյան"},
        {"Georgian", "ნინო ბერიძე", "ნინო ბერიძე"},
        {"Hebrew", "דוד כהן", "דוד כהן"},
        {"Arabic", "محمد عبد الله", "محمد عبد الله"},
        {"Persian", "پرویز گلچین", "پرویز گلچین"},
        {"Greek", "Ελένη Παπαδοπούλου", "Ελένη Παπαδοπούλου"},
        {"Cyrillic", "Юлия Иванова", "Юлия Иванова"},
        {"Chinese", "王小明", "王小明"},
        {"Japanese", "山田 はなこ カタカナ", "山田 はなこ カタカナ"},
        {"Korean", "김민준 이서연", "김민준 이서연"},
        {"decomposed", "Zoe\u0308 Mu\u0308ller", "Zoë Müller"},
        // No precomposed letter: the mark stays, drawn from the installed DejaVu while the
        // letter is in the build-time subset (libharu drops a zero-width text drawn alone).
        {"combining marks", "x\u0304 q\u0301", "x\u0304 q\u0301"},
        {"invisible", "An\u00ADna Ka\u200Bri\u200Dn\uFEFF Le\u202Ee", "Anna Karin Lee"},
        {"mixed", "Mary O'Brien-Smith مريم", "Mary O'Brien-Smith مريم"},
    };
    return cases;
}

}  // namespace myo::test
