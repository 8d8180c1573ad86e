#include "report/font_subset.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <memory>

#include "fileio/output_file.hpp"
#include "report/report_error.hpp"

namespace myo::report {

namespace {

struct BlobFree {
    void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
};
struct FaceFree {
    void operator()(hb_face_t* f) const { hb_face_destroy(f); }
};
struct InputFree {
    void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
};
using Blob = std::unique_ptr<hb_blob_t, BlobFree>;
using Face = std::unique_ptr<hb_face_t, FaceFree>;
struct FontFree {
    void operator()(hb_font_t* f) const { hb_font_destroy(f); }
};
using Input = std::unique_ptr<hb_subset_input_t, InputFree>;
using Font = std::unique_ptr<hb_font_t, FontFree>;

}  // namespace

std::string subset_font(std::string_view ttf, const std::vector<char32_t>& chars,
                        const std::string& name_for_errors) {
    const auto fail = [&](const char* why) {
        throw ReportError("the font " + name_for_errors + " cannot be cut down: " + why);
    };
    if (ttf.size() > UINT_MAX) {
        fail("too large");
    }
    // The bytes outlive the blob (they belong to the FontFace), so HarfBuzz need not copy.
    Blob blob(hb_blob_create(ttf.data(), static_cast<unsigned>(ttf.size()), HB_MEMORY_MODE_READONLY,
                             nullptr, nullptr));
    Face face(hb_face_create(blob.get(), 0));
    Input input(hb_subset_input_create_or_fail());
    if (!input) {
        fail("out of memory");
    }
    hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
    for (char32_t c : chars) {
        hb_set_add(unicodes, static_cast<hb_codepoint_t>(c));
    }
    hb_subset_input_set_flags(input.get(), HB_SUBSET_FLAGS_NO_HINTING);
    hb_set_t* drop = hb_subset_input_set(input.get(), HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const char* tag : {"GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF", "MATH", "FFTM", "gasp",
                            "DSIG", "morx", "mort", "vhea", "vmtx", "VORG"}) {
        hb_set_add(drop, hb_tag_from_string(tag, -1));
    }
    Face subset(hb_subset_or_fail(face.get(), input.get()));
    if (!subset) {
        fail("HarfBuzz could not subset it");
    }
    Blob out(hb_face_reference_blob(subset.get()));
    unsigned length = 0;
    const char* data = hb_blob_get_data(out.get(), &length);
    if (!data || length == 0) {
        fail("the subset is empty");
    }
    return std::string(data, length);
}

unsigned cap_height(std::string_view ttf) {
    Blob blob(hb_blob_create(ttf.data(),
                             static_cast<unsigned>(std::min<std::size_t>(ttf.size(), UINT_MAX)),
                             HB_MEMORY_MODE_READONLY, nullptr, nullptr));
    Face face(hb_face_create(blob.get(), 0));
    Font font(hb_font_create(face.get()));  // scaled in font units
    const unsigned em = hb_face_get_upem(face.get());
    const auto per_mille = [em](hb_position_t units) {
        return units > 0 && em > 0 ? static_cast<unsigned>(units) * 1000U / em : 0U;
    };
    hb_position_t units = 0;
    if (hb_ot_metrics_get_position(font.get(), HB_OT_METRICS_TAG_CAP_HEIGHT, &units) &&
        per_mille(units) > 0) {
        return per_mille(units);
    }
    hb_codepoint_t glyph = 0;
    hb_glyph_extents_t extents{};
    if (hb_font_get_nominal_glyph(font.get(), 'H', &glyph) &&
        hb_font_get_glyph_extents(font.get(), glyph, &extents) &&
        per_mille(extents.y_bearing) > 0) {
        return per_mille(extents.y_bearing);
    }
    hb_font_extents_t line{};
    hb_font_get_h_extents(font.get(), &line);
    return per_mille(line.ascender);
}

AnonymousFile::AnonymousFile(const std::string& bytes) {
    fd_ = static_cast<int>(::memfd_create("myoscreen-font", MFD_CLOEXEC));
    if (fd_ >= 0 && ::access("/proc/self/fd", R_OK) == 0) {
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    } else {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "myoscreen-font-XXXXXX").string();
        fd_ = ::mkstemp(tmpl.data());
        if (fd_ < 0) {
            throw ReportError(std::string("cannot make a temporary font file: ") +
                              std::strerror(errno));
        }
        path_ = tmpl;
        named_ = true;
    }
    try {
        fileio::write_all(fd_, bytes, "a temporary font file");
    } catch (const fileio::OutputError& e) {
        release_name();
        ::close(fd_);
        fd_ = -1;
        throw ReportError(e.what());
    } catch (...) {
        release_name();
        ::close(fd_);
        fd_ = -1;
        throw;
    }
}

AnonymousFile::AnonymousFile(AnonymousFile&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)), named_(other.named_) {
    other.fd_ = -1;
    other.named_ = false;
}

void AnonymousFile::release_name() {
    if (named_) {
        ::unlink(path_.c_str());
        named_ = false;
    }
}

AnonymousFile::~AnonymousFile() {
    release_name();
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

}  // namespace myo::report
