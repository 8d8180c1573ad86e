#pragma once
// PDF/A-1b (ISO 19005-1, level B) for the reports (issue 15): what libharu 2.3.0 leaves out or
// gets wrong is set through its object API just before the document is saved, so the file is
// written once, by libharu, with no second pass. libharu's own HPDF_PDFA_SetPDFAConformance is
// not used: its XMP is unescaped, its metadata stream has "SubType" for "Subtype", its output
// intent's key is "DestOutputProfile " (with a space), and its CID font descriptors lack
// CapHeight and CIDSet. Only pdf_document.cpp uses this (hpdf.h stays inside src/report).

#include <hpdf.h>

#include <string>
#include <string_view>
#include <vector>

namespace myo::report::pdfa {

// Completes an embedded CID (Type 0, CIDFontType2) font's descriptor: libharu creates it only
// when saving, so it is created now, after the glyphs to embed are flagged, and given the
// CapHeight (thousandths of an em) and a CIDSet naming CID 0 and every code in `codes` (with
// libharu's Identity-H encoding a CID is the character's code, see the CIDToGIDMap).
// Throws ReportError.
void complete_cid_font(HPDF_Doc doc, HPDF_Font font, HPDF_FontDef def, unsigned cap_height,
                       const std::vector<char32_t>& codes);

// The document-level parts: PDF 1.4, the sRGB output intent (icc-profiles-free's sRGB.icc,
// built in), XMP metadata that says PDF/A-1b and repeats the Info dictionary's Title, Creator
// and Producer exactly, and the trailer ID. Call after the Info attributes are set.
// Throws ReportError.
void finish_document(HPDF_Doc doc, const std::string& title, const std::string& creator);

// The XMP packet for those Info values (exposed for the tests): the values XML-escaped.
std::string xmp_packet(std::string_view title, std::string_view creator, std::string_view producer);

}  // namespace myo::report::pdfa
