#include "report/text_layout.hpp"

#include <algorithm>

#include "report/bidi_text.hpp"

namespace myo::report {

namespace {

struct Token {
    std::string text;
    FontStyle style = FontStyle::Regular;
    Colour colour;
    bool space_before = false;
    int breaks_before = 0;  // newlines before the word: 2 leaves a blank line
};

std::vector<Token> tokenize(const RichText& text) {
    std::vector<Token> out;
    bool pending_space = false;
    int pending_breaks = 0;
    for (const Span& span : text) {
        const std::string s = clean_text(span.text);
        std::string word;
        const auto flush = [&]() {
            if (!word.empty()) {
                out.push_back({word, span.style, span.colour, pending_space, pending_breaks});
                word.clear();
                pending_space = false;
                pending_breaks = 0;
            }
        };
        for (char c : s) {
            if (c == ' ') {
                flush();
                pending_space = true;
            } else if (c == '\n') {
                flush();
                ++pending_breaks;
                pending_space = false;
            } else {
                word += c;
            }
        }
        flush();
    }
    return out;
}

bool same_look(const Piece& p, const Token& t) {
    return p.style == t.style && p.colour.r == t.colour.r && p.colour.g == t.colour.g &&
           p.colour.b == t.colour.b;
}

}  // namespace

Flow::Flow(PdfDocument& doc, PageGeometry g) : doc_(doc), g_(g) {
    new_page();
}

void Flow::move_down(double dy) {
    if (y_ - dy < g_.bottom) {
        new_page();
        return;
    }
    y_ -= dy;
}

void Flow::ensure(double height) {
    if (room() < height) {
        new_page();
    }
}

void Flow::new_page() {
    if (!pages_.empty() && box_) {
        close_box_fragment(std::max(y_ - box_->pad * 0.5, g_.bottom));
    }
    pages_.emplace_back();
    y_ = g_.height - g_.top;
    if (box_) {
        open_box_fragment();
    }
}

void Flow::begin_box(std::optional<Colour> fill, Colour border, double border_width, double pad) {
    ensure(2 * pad + 40);
    box_ = Box{fill, border, border_width, pad, 0, 0};
    open_box_fragment();
}

void Flow::open_box_fragment() {
    box_->op_index = page().ops.size();
    box_->top = y_;
    y_ -= box_->pad;
    indent_ = box_->pad;
}

void Flow::close_box_fragment(double bottom) {
    const double x = g_.left;
    const double w = g_.width - g_.left - g_.right;
    auto& ops = page().ops;
    ops.insert(
        ops.begin() + static_cast<std::ptrdiff_t>(box_->op_index),
        rect_op(x, bottom, w, box_->top - bottom, box_->fill, box_->border, box_->border_width));
    indent_ = 0;
}

void Flow::end_box() {
    if (!box_) {
        return;
    }
    y_ -= box_->pad;
    close_box_fragment(y_);
    box_.reset();
}

std::vector<Line> Flow::wrap(const RichText& text, double size, double width) {
    // Linear in the length of the text: each word is measured once, and a word wider than a
    // line is cut using its characters' widths measured in one pass (a 1 MB name is laid
    // out in well under a second, not in minutes).
    std::vector<Line> lines(1);
    double space_w[2] = {doc_.text_width(" ", FontStyle::Regular, size),
                         doc_.text_width(" ", FontStyle::Bold, size)};
    for (Token& token : tokenize(text)) {
        for (int k = 0; k < token.breaks_before; ++k) {
            if (!(lines.size() == 1 && lines.back().pieces.empty())) {
                lines.emplace_back();
            }
        }
        double w = doc_.text_width(token.text, token.style, size);
        const double space = space_w[token.style == FontStyle::Bold ? 1 : 0];
        Line* line = &lines.back();
        double gap = line->pieces.empty() || !token.space_before ? 0 : space;
        if (!line->pieces.empty() && line->width + gap + w > width) {
            lines.emplace_back();
            line = &lines.back();
            gap = 0;
        }
        // A word wider than the whole line is broken between characters, never clipped.
        if (w > width - line->width - gap) {
            const std::u32string chars = to_utf32(token.text);
            const std::vector<double> widths = doc_.char_widths(chars, token.style, size);
            std::size_t at = 0;
            while (at < chars.size()) {
                const double room = width - line->width - gap;
                std::size_t end = at;
                double head_w = 0;
                while (end < chars.size() && head_w + widths[end] <= room) {
                    head_w += widths[end++];
                }
                // Never before a zero-width character (a combining mark, the second half
                // of a ligature): it belongs to the character before it.
                while (end > at + 1 && end < chars.size() && widths[end] == 0) {
                    head_w -= widths[--end];
                }
                if (end == chars.size()) {
                    break;  // the rest fits on this line
                }
                if (end == at) {
                    if (!line->pieces.empty()) {  // not even one character fits beside others
                        lines.emplace_back();
                        line = &lines.back();
                        gap = 0;
                        continue;
                    }
                    head_w = widths[end++];  // a line narrower than one character: one each
                }
                line->pieces.push_back({line->width + gap,
                                        to_utf8(std::u32string_view(chars).substr(at, end - at)),
                                        token.style, token.colour});
                line->width += gap + head_w;
                at = end;
                lines.emplace_back();
                line = &lines.back();
                gap = 0;
            }
            token.text = to_utf8(std::u32string_view(chars).substr(at));
            w = 0;
            for (std::size_t k = at; k < chars.size(); ++k) {
                w += widths[k];
            }
        }
        if (!line->pieces.empty() && same_look(line->pieces.back(), token)) {
            line->pieces.back().text += (gap > 0 ? " " : "") + token.text;
        } else {
            line->pieces.push_back({line->width + gap, token.text, token.style, token.colour});
        }
        line->width += gap + w;
    }
    return lines;
}

void Flow::draw_line(const Line& line, double x, double size, double leading) {
    const double base = baseline(y_, size, leading);
    for (const Piece& piece : line.pieces) {
        page().ops.push_back(
            TextOp{{x + piece.dx, base}, piece.style, size, piece.colour, piece.text});
    }
    y_ -= leading;
}

void Flow::paragraph(const RichText& text, TextStyle style, double indent) {
    for (const Line& line : wrap(text, style.size, width() - indent)) {
        ensure(style.leading);
        draw_line(line, left() + indent, style.size, style.leading);
    }
}

void Flow::bullet(const std::string& marker, const RichText& text, TextStyle style, double indent,
                  Colour marker_colour) {
    const double hang =
        std::max(doc_.text_width(marker, FontStyle::Regular, style.size) + 5, style.size * 1.2);
    const auto lines = wrap(text, style.size, width() - indent - hang);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        ensure(style.leading);
        if (i == 0) {
            page().ops.push_back(TextOp{{left() + indent, baseline(y_, style.size, style.leading)},
                                        FontStyle::Regular,
                                        style.size,
                                        marker_colour,
                                        marker});
        }
        draw_line(lines[i], left() + indent + hang, style.size, style.leading);
    }
}

void Flow::heading(const std::string& text, TextStyle style, Colour colour, double keep) {
    const auto lines = wrap(plain(text, FontStyle::Bold, colour), style.size, width());
    ensure(style.leading * static_cast<double>(lines.size()) + keep);
    for (const Line& line : lines) {
        draw_line(line, left(), style.size, style.leading);
    }
}

Flow::TableLayout Flow::layout_table(const std::vector<Column>& columns,
                                     const std::vector<std::vector<RichText>>& rows,
                                     TextStyle style) {
    TableLayout t;
    double x = 0;
    for (const Column& c : columns) {
        t.xs.push_back(x);
        t.ws.push_back(width() * c.fraction);
        x += width() * c.fraction;
    }
    std::size_t header_lines = 1;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        t.header_cells.push_back(
            wrap(plain(columns[c].title, FontStyle::Bold), style.size, t.ws[c] - 2 * kTablePad));
        header_lines = std::max(header_lines, t.header_cells.back().size());
    }
    t.header_h = style.leading * static_cast<double>(header_lines) + 2;
    t.total_h = t.header_h;
    for (const auto& row : rows) {
        std::vector<std::vector<Line>> cells;
        std::size_t n = 1;
        for (std::size_t c = 0; c < columns.size() && c < row.size(); ++c) {
            cells.push_back(wrap(row[c], style.size, t.ws[c] - 2 * kTablePad));
            n = std::max(n, cells.back().size());
        }
        t.total_h += style.leading * static_cast<double>(n) + 4;
        t.wrapped.push_back(std::move(cells));
    }
    return t;
}

double Flow::table_height(const std::vector<Column>& columns,
                          const std::vector<std::vector<RichText>>& rows, TextStyle style) {
    return layout_table(columns, rows, style).total_h;
}

void Flow::table(const std::vector<Column>& columns, const std::vector<std::vector<RichText>>& rows,
                 TextStyle style, Colour header_fill, bool keep_together) {
    const double pad = kTablePad;
    const double total = width();
    const TableLayout layout = layout_table(columns, rows, style);
    const std::vector<double>& xs = layout.xs;
    const double header_h = layout.header_h;
    const double total_h = layout.total_h;
    const auto& header_cells = layout.header_cells;
    const auto& wrapped = layout.wrapped;
    const Colour rule{0.75, 0.75, 0.75};
    const auto draw_header = [&]() {
        const double top = y_;
        page().ops.push_back(
            rect_op(left(), top - header_h, total, header_h, header_fill, std::nullopt));
        for (std::size_t c = 0; c < columns.size(); ++c) {
            y_ = top - 1;
            for (const Line& line : header_cells[c]) {
                draw_line(line, left() + xs[c] + pad, style.size, style.leading);
            }
        }
        y_ = top - header_h;
    };
    const double page_body = g_.height - g_.top - g_.bottom;
    if (keep_together && room() < total_h && total_h < page_body) {
        new_page();
    }
    ensure(header_h + style.leading * 2 + 4);
    draw_header();
    for (const auto& cells : wrapped) {
        std::size_t n = 1;
        for (const auto& cell : cells) {
            n = std::max(n, cell.size());
        }
        const double row_h = style.leading * static_cast<double>(n) + 4;
        if (room() < row_h && row_h < page_body / 3) {
            new_page();
            draw_header();
        }
        y_ -= 2;
        for (std::size_t k = 0; k < n; ++k) {
            if (room() < style.leading) {
                new_page();
                draw_header();
            }
            const double top = y_;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                if (k < cells[c].size()) {
                    y_ = top;
                    draw_line(cells[c][k], left() + xs[c] + pad, style.size, style.leading);
                }
            }
            y_ = top - style.leading;
        }
        y_ -= 2;
        page().ops.push_back(line_op({left(), y_}, {left() + total, y_}, rule, 0.4));
    }
}

}  // namespace myo::report
