#pragma once
// The assessment file (assessment-format.md section 1): reading with full validation
// against the definitions, and writing back out so that a re-read gives the same document.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/definitions.hpp"
#include "core/json_util.hpp"

namespace myo {

inline constexpr const char* kAssessmentFormat = "myoscreen.assessment";
inline constexpr int kAssessmentVersion = 1;
// The largest assessment file read (1 MiB; a full assessment with long notes is under 100 KB).
// A larger file is refused before it is parsed: reading and its error list stay bounded.
inline constexpr std::size_t kMaxAssessmentBytes = 1024 * 1024;

struct Patient {
    std::string id;
    std::string name;
    std::string birth_date;          // ISO date
    std::optional<std::string> sex;  // female | male | other | unknown
};

// The clinician's acknowledgement of an emergency red flag.
struct Acknowledgement {
    std::string flag;
    std::string by;
    std::string at;  // ISO date-time
};

struct Assessment {
    Patient patient;
    std::string date;                 // ISO date of the visit
    std::optional<std::string> kind;  // initial | follow_up
    std::optional<std::string> clinician;
    std::optional<std::string> notes;
    std::optional<std::vector<Acknowledgement>> acknowledged;
    Json answers = Json::object();  // item id -> value; absent = not asked
};

struct AssessmentParse {
    std::optional<Assessment> assessment;  // set only when there are no problems
    std::vector<Problem> problems;
};

// Where a document comes from. New input (a file, an editor) meets the whole input policy:
// size, text limits and printable characters (core/text_input.hpp), no visit in the future.
// A stored document was accepted when it was saved, perhaps by an earlier version with a
// looser policy; it is read with every structural check but without that policy, and its
// text exactly as stored, so a record saved before a rule tightened can still be opened,
// reported and exported (its integrity is the store's digest and audit chain's job).
enum class Origin { kInput, kStored };

// Every problem is reported, each with its JSON path.
AssessmentParse parse_assessment(std::string_view text, const Definitions& defs,
                                 Origin origin = Origin::kInput);
AssessmentParse assessment_from_json(const Json& doc, const Definitions& defs,
                                     Origin origin = Origin::kInput);

// Reads a file ("-" for standard input), at most kMaxAssessmentBytes (a larger regular file
// is refused by its size, unread; a pipe or device after kMaxAssessmentBytes + 1 bytes). A
// directory is named as such. Throws AssessmentError naming the file.
Assessment read_assessment_file(const std::string& path, const Definitions& defs);

// The problems of one answer value, appended with paths below `path`. Used by the reader and
// by editors that refuse an out-of-range value at the field.
void check_answer(const ItemDef& item, const Json& value, const std::string& path,
                  std::vector<Problem>& problems, Origin origin = Origin::kInput);

// Normalises every text an assessment holds as the reader does (patient id and name,
// clinician, notes, the acknowledging clinician, free-text answers), so what an editor typed
// is stored exactly as a file bringing the same text would be.
void normalize_assessment(Assessment& a, const Definitions& defs);

// The same for one answer: a free-text answer, or the text fields of a list's entries.
void normalize_answer(const ItemDef& item, Json& value);

// Re-checks an assessment built in memory (by an editor or the store).
std::vector<Problem> validate_assessment(const Assessment& a, const Definitions& defs);

Json assessment_to_json(const Assessment& a);
// Pretty-printed (one-space indent), UTF-8, ending in a newline.
std::string write_assessment(const Assessment& a);

}  // namespace myo
