#include "random_assessment.hpp"

#include <set>

namespace myo::test {

namespace {

Json random_value(ItemType type, const std::optional<double>& min, const std::optional<double>& max,
                  const std::vector<Choice>& choices, std::mt19937& rng) {
    auto pick = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
    };
    switch (type) {
        case ItemType::YesNo: {
            const char* v[] = {"yes", "no", "unknown"};
            return v[pick(3)];
        }
        case ItemType::Bool:
            return pick(2) == 1;
        case ItemType::Int:
            return std::uniform_int_distribution<long>(static_cast<long>(min.value_or(0)),
                                                       static_cast<long>(max.value_or(10)))(rng);
        case ItemType::Num: {
            // Tenths, as a clinician records them; sometimes a whole number.
            const long lo = static_cast<long>(min.value_or(0) * 10);
            const long hi = static_cast<long>(max.value_or(100) * 10);
            const long tenths = std::uniform_int_distribution<long>(lo, hi)(rng);
            if (tenths % 10 == 0) {
                return tenths / 10;
            }
            return static_cast<double>(tenths) / 10.0;
        }
        case ItemType::Enum:
            return choices[pick(choices.size())].value;
        case ItemType::Multi: {
            Json out = Json::array();
            for (const auto& c : choices) {
                if (pick(3) == 0) {
                    out.push_back(c.value);
                }
            }
            return out;
        }
        case ItemType::Text: {
            const char* v[] = {"Ibuprofen 400 mg", "Zoë's note: ça va, 痛み", "x"};
            return v[pick(3)];
        }
        case ItemType::List:
            break;
    }
    return nullptr;
}

}  // namespace

Assessment random_assessment(const Definitions& defs, std::mt19937& rng, int n) {
    Assessment a;
    a.patient = {"P-" + std::to_string(n), "Åsa Núñez-" + std::to_string(n),
                 "1960-05-0" + std::to_string(1 + n % 9),
                 n % 5 == 0 ? std::nullopt : std::optional<std::string>(n % 2 ? "female" : "male")};
    a.date = "2026-0" + std::to_string(1 + n % 9) + "-1" + std::to_string(n % 10);
    a.kind = n % 3 == 0 ? "follow_up" : "initial";
    if (n % 4 != 0) {
        a.clinician = "Dr R. Mensah";
    }
    std::uniform_int_distribution<int> percent(0, 99);
    const int answered = 20 + percent(rng) % 80;  // share of items asked
    for (const auto& item : defs.form.items) {
        if (percent(rng) >= answered) {
            continue;
        }
        if (item.type == ItemType::List) {
            Json entries = Json::array();
            const std::size_t count = std::uniform_int_distribution<std::size_t>(
                1, std::min<std::size_t>(item.max_items, 4))(rng);
            for (std::size_t i = 0; i < count; ++i) {
                Json entry = Json::object();
                for (const auto& f : item.fields) {
                    if (f.required || percent(rng) < 60) {
                        entry[f.id] = random_value(f.type, f.min, f.max, f.choices, rng);
                    }
                }
                entries.push_back(entry);
            }
            a.answers[item.id] = entries;
        } else {
            a.answers[item.id] = random_value(item.type, item.min, item.max, item.choices, rng);
        }
    }
    // Whatever a rule of the form refuses (an item shown only when another is answered...)
    // is dropped, until the assessment is valid.
    for (int round = 0; round < 5; ++round) {
        const auto problems = validate_assessment(a, defs);
        if (problems.empty()) {
            break;
        }
        for (const auto& p : problems) {
            const std::string prefix = "/answers/";
            if (p.path.rfind(prefix, 0) == 0) {
                std::string id = p.path.substr(prefix.size());
                a.answers.erase(id.substr(0, id.find('/')));
            }
        }
    }
    return a;
}

}  // namespace myo::test
