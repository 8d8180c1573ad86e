#include <doctest/doctest.h>

#include "core/text_fold.hpp"

using myo::fold_for_search;
using myo::search_terms;

TEST_CASE("folding: case and accents of Latin names") {
    CHECK(fold_for_search("Zoë") == "zoe");
    CHECK(fold_for_search("Åkesson-Núñez") == "akesson-nunez");
    CHECK(fold_for_search("ÉLODIE Ç") == "elodie c");
    CHECK(fold_for_search("Søren Ærø") == "soren aero");
    CHECK(fold_for_search("Straße") == "strasse");
    CHECK(fold_for_search("Łukasz Żółć") == "lukasz zolc");
    CHECK(fold_for_search("Œuvre Ĳssel Þór") == "oeuvre ijssel thor");
    CHECK(fold_for_search("Ștefan Țăran") == "stefan taran");
    CHECK(fold_for_search("Dvořák Ğ") == "dvorak g");
}

TEST_CASE("folding: decomposed accents fold like precomposed ones") {
    CHECK(fold_for_search("Zoe\xCC\x88") == "zoe");  // e + combining diaeresis
    CHECK(fold_for_search("N\xCC\x83u\xCC\x81n\xCC\x83"
                          "ez") == "nunez");
}

TEST_CASE("folding: Greek and Cyrillic capitals and Greek accents") {
    CHECK(fold_for_search("ΓΙΏΡΓΟΣ") == "γιωργοσ");
    CHECK(fold_for_search("Γιώργος") == "γιωργοσ");
    CHECK(fold_for_search("Ёлкин ЖУКОВ") == "елкин жуков");
    CHECK(fold_for_search("Їжак Ђорђе") == "їжак ђорђе");
}

TEST_CASE("folding: other text passes through, broken UTF-8 does not crash") {
    CHECK(fold_for_search("李小龍 123") == "李小龍 123");
    CHECK(fold_for_search("a\xFF"
                          "b") ==
          "a\xEF\xBF\xBD"
          "b");
    CHECK(fold_for_search("\xC3") == "\xEF\xBF\xBD");
    CHECK(fold_for_search("\xE0\x80\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
}

TEST_CASE("search terms: folded words split at ASCII punctuation and spaces") {
    CHECK(search_terms("Zoë Åkesson-Núñez") == std::vector<std::string>{"zoe", "akesson", "nunez"});
    CHECK(search_terms("  O'Brien,  Seán ") == std::vector<std::string>{"o", "brien", "sean"});
    CHECK(search_terms("P-0001") == std::vector<std::string>{"p", "0001"});
    CHECK(search_terms(" - ").empty());
}
