#pragma once
// Text layout for the reports: wraps rich text into lines measured with the embedded fonts,
// flows lines onto as many pages as they need (never clipping or overlapping), draws boxed
// sections that continue across a page break, and tables whose header repeats on every page.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/display_list.hpp"
#include "report/pdf_document.hpp"

namespace myo::report {

struct Span {
    std::string text;
    FontStyle style = FontStyle::Regular;
    Colour colour;
};
using RichText = std::vector<Span>;

inline RichText plain(std::string text, FontStyle style = FontStyle::Regular, Colour c = {}) {
    return {Span{std::move(text), style, c}};
}

struct Piece {
    double dx = 0;
    std::string text;
    FontStyle style = FontStyle::Regular;
    Colour colour;
};

struct Line {
    std::vector<Piece> pieces;
    double width = 0;
};

struct TextStyle {
    double size = 10;
    double leading = 13;
};

struct Column {
    std::string title;
    double fraction = 1;  // of the table's width
};

struct PageGeometry {
    double width = kA4Width;
    double height = kA4Height;
    double left = 54;
    double right = 54;
    double top = 50;
    double bottom = 64;  // the footer lives below this
};

class Flow {
  public:
    Flow(PdfDocument& doc, PageGeometry g);

    PdfDocument& doc() { return doc_; }
    const PageGeometry& geometry() const { return g_; }
    std::vector<PageOps>& pages() { return pages_; }
    PageOps& page() { return pages_.back(); }
    std::size_t page_index() const { return pages_.size() - 1; }

    double left() const { return g_.left + indent_; }
    double width() const { return g_.width - g_.left - g_.right - 2 * indent_; }
    double y() const { return y_; }
    double room() const { return y_ - g_.bottom - (box_ ? box_->pad : 0); }
    void move_down(double dy);
    // Starts a new page unless `height` points still fit on this one.
    void ensure(double height);
    void new_page();

    std::vector<Line> wrap(const RichText& text, double size, double width);
    // One line at the cursor; the caller has ensured room.
    void draw_line(const Line& line, double x, double size, double leading);

    void paragraph(const RichText& text, TextStyle style, double indent = 0);
    // A hanging bullet ("•", "1.", "✓") with the text wrapped beside it.
    void bullet(const std::string& marker, const RichText& text, TextStyle style, double indent = 0,
                Colour marker_colour = {});
    // A heading kept on the same page as at least `keep` points of what follows.
    void heading(const std::string& text, TextStyle style, Colour colour, double keep = 40);

    // A box around what is drawn until end_box(); across a page break it closes at the foot
    // of the page and reopens at the top of the next. One level only.
    void begin_box(std::optional<Colour> fill, Colour border, double border_width = 1,
                   double pad = 8);
    void end_box();

    // Rows of cells; a row taller than a third of a page is split between lines, shorter rows
    // move whole to the next page. The header is repeated at the top of every page.
    // keep_together: start on a new page if the whole table fits there but not here.
    void table(const std::vector<Column>& columns, const std::vector<std::vector<RichText>>& rows,
               TextStyle style, Colour header_fill, bool keep_together = false);
    // The height table() would take with these rows, header included, so a heading can be
    // kept on the page with the whole of a short table.
    double table_height(const std::vector<Column>& columns,
                        const std::vector<std::vector<RichText>>& rows, TextStyle style);

  private:
    static constexpr double kTablePad = 4;  // inside each cell, left and right
    struct TableLayout {
        std::vector<double> xs;  // each column's left edge, from the text block's left
        std::vector<double> ws;  // each column's width
        std::vector<std::vector<Line>> header_cells;
        double header_h = 0;
        std::vector<std::vector<std::vector<Line>>> wrapped;  // row, column, lines
        double total_h = 0;
    };
    TableLayout layout_table(const std::vector<Column>& columns,
                             const std::vector<std::vector<RichText>>& rows, TextStyle style);

    struct Box {
        std::optional<Colour> fill;
        Colour border;
        double border_width = 1;
        double pad = 8;
        std::size_t op_index = 0;
        double top = 0;
    };
    void close_box_fragment(double bottom);
    void open_box_fragment();

    PdfDocument& doc_;
    PageGeometry g_;
    std::vector<PageOps> pages_;
    double y_ = 0;
    double indent_ = 0;
    std::optional<Box> box_;
};

// Baseline of a line whose box starts at `top`.
inline double baseline(double top, double size, double leading) {
    return top - leading * 0.5 - size * 0.35;
}

}  // namespace myo::report
