#include "report/pdfa.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <random>

#include "core/markup.hpp"
#include "report/report_error.hpp"

namespace myo::report::pdfa {

namespace {

// icc-profiles-free's sRGB.icc (Zlib licence; ICC version 2, as PDF/A-1 requires), read into
// the program at build time (src/report/CMakeLists.txt): 7 KB, and no file to find at run time.
constexpr unsigned char kSrgbIcc[] = {
#include "report/srgb_icc.inc"
};

void check(HPDF_STATUS status, const char* what) {
    if (status != HPDF_OK) {
        char code[32];
        std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(status));
        throw ReportError(std::string("PDF library error ") + code + " in " + what + " (PDF/A)");
    }
}

template <typename T>
T need(T object, const char* what) {
    if (!object) {
        throw ReportError(std::string("the PDF library could not create ") + what +
                          " (PDF/A; out of memory?)");
    }
    return object;
}

// A stream object of the document holding `bytes`, Flate-compressed when `compress`.
HPDF_Dict new_stream(HPDF_Doc doc, const void* bytes, std::size_t size, bool compress,
                     const char* what) {
    HPDF_Dict stream = need(HPDF_DictStream_New(doc->mmgr, doc->xref), what);
    stream->filter = compress ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
    check(HPDF_Stream_Write(stream->stream, static_cast<const HPDF_BYTE*>(bytes),
                            static_cast<HPDF_UINT>(size)),
          what);
    return stream;
}

void add_output_intent(HPDF_Doc doc) {
    HPDF_Dict profile = new_stream(doc, kSrgbIcc, sizeof kSrgbIcc, true, "the ICC profile");
    check(HPDF_Dict_AddNumber(profile, "N", 3), "the ICC profile");
    HPDF_Dict intent = need(HPDF_Dict_New(doc->mmgr), "the output intent");
    check(HPDF_Dict_AddName(intent, "Type", "OutputIntent"), "the output intent");
    check(HPDF_Dict_AddName(intent, "S", "GTS_PDFA1"), "the output intent");
    // sRGB's name in the ICC's registry of standard characterisations.
    const char* condition = "sRGB IEC61966-2.1";
    check(HPDF_Dict_Add(intent, "OutputConditionIdentifier",
                        HPDF_String_New(doc->mmgr, condition, nullptr)),
          "the output intent");
    check(HPDF_Dict_Add(intent, "Info", HPDF_String_New(doc->mmgr, condition, nullptr)),
          "the output intent");
    check(HPDF_Dict_Add(intent, "RegistryName",
                        HPDF_String_New(doc->mmgr, "http://www.color.org", nullptr)),
          "the output intent");
    check(HPDF_Dict_Add(intent, "DestOutputProfile", profile), "the output intent");
    HPDF_Array intents = need(HPDF_Array_New(doc->mmgr), "the output intents");
    check(HPDF_Dict_Add(doc->catalog, "OutputIntents", intents), "the output intents");
    check(HPDF_Array_Add(intents, intent), "the output intents");
}

// The file identifier PDF/A requires: random, so it says nothing about the patient or the
// moment (libharu's HPDF_PDFA_GenerateID hashes the time to the second).
void add_id(HPDF_Doc doc) {
    std::random_device random;
    std::array<HPDF_BYTE, 16> id{};
    for (auto& b : id) {
        b = static_cast<HPDF_BYTE>(random() & 0xFFU);
    }
    HPDF_Array ids = need(HPDF_Array_New(doc->mmgr), "the file identifier");
    check(HPDF_Dict_Add(doc->trailer, "ID", ids), "the file identifier");
    // The two halves are equal: this is the file's first version.
    for (int k = 0; k < 2; ++k) {
        check(HPDF_Array_Add(ids, HPDF_Binary_New(doc->mmgr, id.data(), id.size())),
              "the file identifier");
    }
}

}  // namespace

void complete_cid_font(HPDF_Doc doc, HPDF_Font font, HPDF_FontDef def, unsigned cap_height,
                       const std::vector<char32_t>& codes) {
    if (!font || !font->before_write_fn || !def) {
        throw ReportError("the PDF library's font cannot be completed for PDF/A");
    }
    // libharu's own save-time step: it builds the descriptor (and embeds the glyphs flagged so
    // far) only when fontdef->descriptor is still empty, so running it now and again at the
    // save gives one descriptor, which is then ours to complete.
    check(font->before_write_fn(font), "building the font descriptor");
    HPDF_Dict descriptor = def->descriptor;
    if (!descriptor) {
        throw ReportError("the PDF library made no font descriptor (PDF/A)");
    }
    check(HPDF_Dict_AddNumber(descriptor, "CapHeight", static_cast<HPDF_INT32>(cap_height)),
          "the font's CapHeight");
    // One bit per CID, the highest-order bit of the first byte for CID 0 (ISO 32000-1 9.8.3).
    char32_t last = 0;
    for (char32_t c : codes) {
        last = std::max(last, c);
    }
    std::vector<unsigned char> bits(last / 8 + 1, 0);
    const auto mark = [&](char32_t cid) {
        bits[cid / 8] |= static_cast<unsigned char>(0x80U >> (cid % 8));
    };
    mark(0);
    for (char32_t c : codes) {
        mark(c);
    }
    HPDF_Dict cid_set = new_stream(doc, bits.data(), bits.size(), true, "the font's CIDSet");
    check(HPDF_Dict_Add(descriptor, "CIDSet", cid_set), "the font's CIDSet");
}

std::string xmp_packet(std::string_view title, std::string_view creator,
                       std::string_view producer) {
    // One rdf:Description per schema, the form PDFBox's preflight and veraPDF both read.
    std::string out =
        "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
        "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
        "<dc:format>application/pdf</dc:format>\n"
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">";
    out += escape_markup(title);
    out +=
        "</rdf:li></rdf:Alt></dc:title>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
        "<xmp:CreatorTool>";
    out += escape_markup(creator);
    out +=
        "</xmp:CreatorTool>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
        "<pdf:Producer>";
    out += escape_markup(producer);
    out +=
        "</pdf:Producer>\n"
        "</rdf:Description>\n"
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
        "<pdfaid:part>1</pdfaid:part>\n"
        "<pdfaid:conformance>B</pdfaid:conformance>\n"
        "</rdf:Description>\n"
        "</rdf:RDF>\n"
        "</x:xmpmeta>\n"
        "<?xpacket end=\"w\"?>";
    return out;
}

void finish_document(HPDF_Doc doc, const std::string& title, const std::string& creator) {
    // PDF/A-1 is based on PDF 1.4; libharu writes 1.3 unless told.
    doc->pdf_version = HPDF_VER_14;
    const char* producer = HPDF_GetInfoAttr(doc, HPDF_INFO_PRODUCER);
    const std::string xmp = xmp_packet(title, creator, producer ? producer : "");
    // Not compressed: PDF/A-1 wants the metadata readable by tools that do not parse PDF.
    HPDF_Dict metadata = new_stream(doc, xmp.data(), xmp.size(), false, "the XMP metadata");
    check(HPDF_Dict_AddName(metadata, "Type", "Metadata"), "the XMP metadata");
    check(HPDF_Dict_AddName(metadata, "Subtype", "XML"), "the XMP metadata");
    check(HPDF_Dict_Add(doc->catalog, "Metadata", metadata), "the XMP metadata");
    add_output_intent(doc);
    add_id(doc);
}

}  // namespace myo::report::pdfa
