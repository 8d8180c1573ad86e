#pragma once
// The generated practice of the store benchmarks: patients with names from many languages and
// ten visits each (the first patient a long history), the examples' answers with their own
// figures. bench_store writes it into a SQLite file (100,000 / 1,000,000); bench_pg writes the
// same rows into a SQLite file and a PostgreSQL database at a size it is given, so that both
// backends are measured on the same data.

#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/assessment.hpp"
#include "core/definitions.hpp"
#include "core/evaluation.hpp"
#include "core/text_fold.hpp"

namespace myo::bench {

inline const std::vector<std::string> kFirstNames = {
    "Zoë",    "Anna",  "Søren",  "Élodie", "Tomás",  "Margaret", "Dimitrios", "Ana Lucía",
    "Robert", "Ñuria", "Jürgen", "Åsa",    "Łukasz", "Chloé",    "José",      "Mónica",
    "Björn",  "Fatma", "Ioana",  "Ștefan", "Noémie", "Raúl",     "Inès",      "Piotr",
    "Ólafur", "Agnès", "Zoltán", "Héctor", "Siân",   "Eleni",    "Mark",      "Sarah",
    "David",  "Laura", "Peter",  "Maria",  "John",   "Emma",     "Lucas",     "Mia"};
inline const std::vector<std::string> kLastNames = {
    "Åkesson", "Núñez",      "Kierkegaard", "Çelik",        "Ribeiro",   "Ní Bhriain", "Georgiou",
    "Herrera", "Mackintosh", "Müller",      "Øster",        "Wójcik",    "Dvořák",     "García",
    "Šimić",   "Lefèvre",    "Jónsson",     "Papadopoulos", "Smith",     "Jones",      "Brown",
    "Taylor",  "Nowak",      "Kowalski",    "Novák",        "Horváth",   "Popescu",    "Ivanović",
    "Yılmaz",  "Rossi",      "Bianchi",     "Martín",       "López",     "Gómez",      "Dubois",
    "Moreau",  "Fischer",    "Weiß",        "Schäfer",      "Johansson", "Lindqvist",  "Hansen",
    "Nielsen", "Virtanen",   "O'Brien",     "Murphy",       "Walsh",     "Byrne",      "Okafor",
    "Mensah"};

inline std::string iso_date(int y, int m, int d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

inline std::string generated_patient_id(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "P-%06d", n);
    return buf;
}

// One stored assessment (a final, its own visit) with the figures the store keeps beside it.
struct GeneratedVisit {
    std::string document;
    std::string date;
    std::string kind;
    std::optional<int> nrs_now;
    std::optional<int> nrs_average;
    std::optional<int> wpi;
    std::optional<int> sss;
    std::optional<int> fs;
    std::optional<int> tender_count;
    std::string urgency;
    std::string rules_version;
};

struct GeneratedPatient {
    int number = 0;  // 1-based: the row id, and P-000001's digits
    Patient patient;
    std::string sort_name;           // fold_for_search of the name, as the store keeps it
    std::vector<std::string> terms;  // the search words of the name and the id
    std::vector<GeneratedVisit> visits;
};

// Calls `each` for patients 1..patients in order, with assessments/patients visits each
// (patient 1: long_history, monthly since 2010). Deterministic: the same seed, the same rows.
inline void generate_practice(const Definitions& defs, const std::vector<Assessment>& cases,
                              int patients, int assessments, int long_history,
                              const std::function<void(const GeneratedPatient&)>& each) {
    std::vector<Evaluation> evals;
    for (const auto& a : cases) {
        evals.push_back(evaluate(defs, a));
    }
    std::mt19937 rng(20261120);
    for (int p = 1; p <= patients; ++p) {
        GeneratedPatient g;
        g.number = p;
        Patient& who = g.patient;
        who.id = generated_patient_id(p);
        who.name =
            kFirstNames[rng() % kFirstNames.size()] + " " + kLastNames[rng() % kLastNames.size()];
        if (rng() % 4 == 0) {
            who.name += "-" + kLastNames[rng() % kLastNames.size()];
        }
        who.birth_date =
            iso_date(1940 + static_cast<int>(rng() % 60), 1 + static_cast<int>(rng() % 12),
                     1 + static_cast<int>(rng() % 28));
        who.sex = rng() % 2 == 0 ? "female" : "male";
        g.sort_name = fold_for_search(who.name);
        g.terms = search_terms(who.name);
        auto id_terms = search_terms(who.id);
        g.terms.insert(g.terms.end(), id_terms.begin(), id_terms.end());
        // Ten visits each, two months or so apart; patient 1 has long_history visits, monthly
        // since 2010 (the 200-visit patient of issue 12's benches).
        bool long_one = p == 1;
        int visits = long_one ? long_history : assessments / patients;
        for (int v = 0; v < visits; ++v) {
            std::size_t k = rng() % cases.size();
            Assessment a = cases[k];
            a.patient = who;
            a.date =
                long_one
                    ? iso_date(2010 + v / 12, 1 + v % 12, 1 + static_cast<int>(rng() % 28))
                    : iso_date(2025 + v / 6, 1 + (v % 6) * 2, 1 + static_cast<int>(rng() % 28));
            a.kind = v == 0 ? "initial" : "follow_up";
            const Evaluation& e = evals[k];
            auto nrs = [&a](const char* id) -> std::optional<int> {
                auto it = a.answers.find(id);
                return it != a.answers.end() && it->is_number_integer()
                           ? std::optional<int>(it->get<int>())
                           : std::nullopt;
            };
            GeneratedVisit gv;
            gv.document = write_assessment(a);
            gv.date = a.date;
            gv.kind = *a.kind;
            gv.nrs_now = nrs("nrs_now");
            gv.nrs_average = nrs("nrs_average");
            gv.wpi = e.acr2016.wpi;
            gv.sss = e.acr2016.sss;
            gv.fs = e.acr2016.fs;
            gv.tender_count = e.acr1990.tender_count;
            gv.urgency = urgency_id(e.urgency);
            gv.rules_version = e.rules_version;
            g.visits.push_back(std::move(gv));
        }
        each(g);
    }
}

}  // namespace myo::bench
