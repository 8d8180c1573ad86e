// The baseline the report timings are read against (issues 4 and 15): a plain program on
// libharu that embeds two TrueType fonts as UTF-8 (CID) fonts, writes one line in each and
// saves the document to a file, with nothing of MyoScreen around it. bench_report runs it on
// the installed DejaVu Sans and DejaVu Sans Bold, as issue 4 measured it.
//   bench_plain_libharu FONT_DIR OUT.pdf

#include <hpdf.h>

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_plain_libharu FONT_DIR OUT.pdf\n");
        return 2;
    }
    const std::string dir = argv[1];
    HPDF_Doc doc = HPDF_New(nullptr, nullptr);
    if (!doc) {
        return 1;
    }
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    const char* regular =
        HPDF_LoadTTFontFromFile(doc, (dir + "/DejaVuSans.ttf").c_str(), HPDF_TRUE);
    const char* bold =
        HPDF_LoadTTFontFromFile(doc, (dir + "/DejaVuSans-Bold.ttf").c_str(), HPDF_TRUE);
    HPDF_Page page = HPDF_AddPage(doc);
    float y = 800;
    for (const char* name : {regular, bold}) {
        if (!name) {
            HPDF_Free(doc);
            return 1;
        }
        HPDF_Page_SetFontAndSize(page, HPDF_GetFont(doc, name, "UTF-8"), 10);
        HPDF_Page_BeginText(page);
        HPDF_Page_TextOut(page, 50, y, "Referral note: Zoë Åkesson-Núñez");
        HPDF_Page_EndText(page);
        y -= 20;
    }
    const HPDF_STATUS saved = HPDF_SaveToFile(doc, argv[2]);
    HPDF_Free(doc);
    return saved == HPDF_OK ? 0 : 1;
}
