#pragma once
// Draws forms/bodychart.json (front and back views side by side) into a rectangle of a page,
// with the painful areas shaded and each examined tender point marked with its grade. One
// function so that the progress report can put two charts side by side.

#include <map>
#include <set>
#include <string>

#include "core/bodychart.hpp"
#include "report/display_list.hpp"
#include "report/pdf_document.hpp"

namespace myo::report {

struct ChartMarks {
    std::set<std::string> painful;       // wpi.* ids answered true
    std::map<std::string, long> grades;  // tp.* ids examined, with their grade 0-3
    long positive_grade = 2;             // from rules.acr1990
};

struct ChartBox {
    double x = 0;  // left
    double y = 0;  // bottom
    double width = 0;
    double height = 0;  // the views are scaled to fit, keeping the chart's aspect
};

// Appends the drawing to page. Labels ("Front", "Back", the patient's R and L) use the
// document's fonts.
void draw_body_chart(PageOps& page, PdfDocument& doc, const BodyChart& chart, ChartBox box,
                     const ChartMarks& marks);

// The colours the chart uses, for a legend drawn by the caller.
Colour chart_shade();
Colour chart_positive();

}  // namespace myo::report
