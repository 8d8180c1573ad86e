#pragma once
// The condition language of forms/rules.json: small boolean expressions over the answers
// and a few derived values, e.g.  `age >= 50 and rf.gca_symptoms`.
//
// Truth is three-valued (Kleene): a yes/no/unknown item that is "unknown" or absent is
// Unknown, never No, so a rule that depends on an unanswered screening question is neither
// positive nor ruled out. Other absent values (a number, a checkbox, a choice) make a
// comparison false. README.md "Changing a rule" documents the grammar for rule authors.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_util.hpp"

namespace myo {

enum class Tri { False, True, Unknown };

Tri tri_and(Tri a, Tri b);
Tri tri_or(Tri a, Tri b);
Tri tri_not(Tri a);
std::optional<bool> to_optional(Tri t);

class FormDef;

// A syntax error, with the 1-based character position in the condition text.
class ConditionSyntaxError : public std::runtime_error {
  public:
    ConditionSyntaxError(std::size_t position, const std::string& message);
    std::size_t position() const { return position_; }

  private:
    std::size_t position_;
};

// The values a condition can read besides the answers; filled in by the evaluation.
struct Facts {
    const FormDef* form = nullptr;
    const Json* answers = nullptr;  // the assessment's "answers" object
    std::optional<int> age;
    std::optional<std::string> duration_category;
    std::optional<double> weight_loss_percent;
    Tri any_red_flag = Tri::False;  // Kleene OR over every red flag's trigger
    int red_flag_count = 0;         // positive red flags
    const std::set<std::string>* positive_flags = nullptr;
    std::optional<std::string> urgency;  // only inside a red flag's tests and referrals
};

struct Outcome {
    Tri value = Tri::False;
    // The findings that made it true: item ids (and weight_loss_percent, duration_weeks
    // for duration_category, a flag id for flag.X). Empty unless value is True.
    std::vector<std::string> because;
};

// What names a condition may use, for checking at load time.
struct ConditionScope {
    const FormDef* form = nullptr;
    std::set<std::string> flag_ids;             // for flag.<id>
    std::set<std::string> duration_categories;  // for duration_category == "..."
    std::set<std::string> urgency_levels;       // for urgency == "..."
    bool allow_urgency = false;                 // inside a red flag
};

class Condition {
  public:
    struct Node;
    // Throws ConditionSyntaxError.
    static std::shared_ptr<const Condition> parse(std::string_view text);
    ~Condition();
    Condition(const Condition&) = delete;
    Condition& operator=(const Condition&) = delete;

    // Problems with names or literals (unknown item, wrong type, unknown choice); empty if fine.
    std::vector<std::string> check(const ConditionScope& scope) const;
    Outcome evaluate(const Facts& facts) const;
    const std::string& text() const { return text_; }

    explicit Condition(std::string text, std::unique_ptr<Node> root);

  private:
    std::string text_;
    std::unique_ptr<Node> root_;
};

using ConditionPtr = std::shared_ptr<const Condition>;

}  // namespace myo
