#include "core/condition.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <variant>

#include "core/form.hpp"

namespace myo {

Tri tri_and(Tri a, Tri b) {
    if (a == Tri::False || b == Tri::False) {
        return Tri::False;
    }
    if (a == Tri::True && b == Tri::True) {
        return Tri::True;
    }
    return Tri::Unknown;
}

Tri tri_or(Tri a, Tri b) {
    if (a == Tri::True || b == Tri::True) {
        return Tri::True;
    }
    if (a == Tri::False && b == Tri::False) {
        return Tri::False;
    }
    return Tri::Unknown;
}

Tri tri_not(Tri a) {
    return a == Tri::True ? Tri::False : a == Tri::False ? Tri::True : Tri::Unknown;
}

std::optional<bool> to_optional(Tri t) {
    if (t == Tri::Unknown) {
        return std::nullopt;
    }
    return t == Tri::True;
}

ConditionSyntaxError::ConditionSyntaxError(std::size_t position, const std::string& message)
    : std::runtime_error("at character " + std::to_string(position) + ": " + message),
      position_(position) {}

// ---------------------------------------------------------------------------------------
// Syntax tree

enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Has, HasAny };

using Literal = std::variant<double, std::string, std::vector<std::string>>;

struct Condition::Node {
    enum class Kind { Const, Ref, Compare, Answered, Not, And, Or } kind = Kind::Const;
    Tri constant = Tri::False;
    std::string name;
    Op op = Op::Eq;
    Literal literal;
    std::vector<std::unique_ptr<Node>> children;
};

using Node = Condition::Node;

namespace {

// ---------------------------------------------------------------------------------------
// Lexer and parser

struct Token {
    enum class Type { Ident, String, Number, Op, LParen, RParen, LBracket, RBracket, Comma, End };
    Type type = Type::End;
    std::string text;
    double number = 0;
    std::size_t pos = 0;  // 1-based
};

class Parser {
  public:
    explicit Parser(std::string_view src) : src_(src) { advance(); }

    std::unique_ptr<Node> parse_all() {
        auto node = parse_or();
        if (tok_.type != Token::Type::End) {
            fail("unexpected \"" + tok_.text + "\"");
        }
        return node;
    }

  private:
    [[noreturn]] void fail(const std::string& message) const {
        throw ConditionSyntaxError(tok_.pos, message);
    }

    void advance() {
        while (i_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[i_]))) {
            ++i_;
        }
        tok_ = Token{};
        tok_.pos = i_ + 1;
        if (i_ >= src_.size()) {
            tok_.type = Token::Type::End;
            tok_.text = "end of condition";
            return;
        }
        char c = src_[i_];
        auto single = [&](Token::Type t) {
            tok_.type = t;
            tok_.text = std::string(1, c);
            ++i_;
        };
        if (c == '(')
            return single(Token::Type::LParen);
        if (c == ')')
            return single(Token::Type::RParen);
        if (c == '[')
            return single(Token::Type::LBracket);
        if (c == ']')
            return single(Token::Type::RBracket);
        if (c == ',')
            return single(Token::Type::Comma);
        if (c == '"') {
            std::string value;
            ++i_;
            while (i_ < src_.size() && src_[i_] != '"') {
                if (src_[i_] == '\\' && i_ + 1 < src_.size()) {
                    ++i_;
                }
                value += src_[i_++];
            }
            if (i_ >= src_.size()) {
                fail("a string is not closed with \"");
            }
            ++i_;
            tok_.type = Token::Type::String;
            tok_.text = value;
            return;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) ||
            (c == '-' && i_ + 1 < src_.size() &&
             std::isdigit(static_cast<unsigned char>(src_[i_ + 1])))) {
            std::size_t start = i_++;
            while (i_ < src_.size() &&
                   (std::isdigit(static_cast<unsigned char>(src_[i_])) || src_[i_] == '.')) {
                ++i_;
            }
            tok_.type = Token::Type::Number;
            tok_.text = std::string(src_.substr(start, i_ - start));
            auto [ptr, ec] =
                std::from_chars(tok_.text.data(), tok_.text.data() + tok_.text.size(), tok_.number);
            if (ec != std::errc() || ptr != tok_.text.data() + tok_.text.size()) {
                fail("\"" + tok_.text + "\" is not a number");
            }
            return;
        }
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            std::size_t start = i_;
            while (i_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[i_])) ||
                                        src_[i_] == '_' || src_[i_] == '.' || src_[i_] == '*')) {
                ++i_;
            }
            tok_.type = Token::Type::Ident;
            tok_.text = std::string(src_.substr(start, i_ - start));
            return;
        }
        static constexpr std::string_view kOps[] = {"==", "!=", "<=", ">=", "<", ">"};
        for (auto op : kOps) {
            if (src_.substr(i_, op.size()) == op) {
                tok_.type = Token::Type::Op;
                tok_.text = std::string(op);
                i_ += op.size();
                return;
            }
        }
        fail(std::string("unexpected character '") + c + "'");
    }

    bool is_word(std::string_view w) const {
        return tok_.type == Token::Type::Ident && tok_.text == w;
    }

    std::unique_ptr<Node> parse_or() {
        auto first = parse_and();
        if (!is_word("or")) {
            return first;
        }
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::Or;
        node->children.push_back(std::move(first));
        while (is_word("or")) {
            advance();
            node->children.push_back(parse_and());
        }
        return node;
    }

    std::unique_ptr<Node> parse_and() {
        auto first = parse_not();
        if (!is_word("and")) {
            return first;
        }
        auto node = std::make_unique<Node>();
        node->kind = Node::Kind::And;
        node->children.push_back(std::move(first));
        while (is_word("and")) {
            advance();
            node->children.push_back(parse_not());
        }
        return node;
    }

    // Every level of "not" and of brackets passes through here; a limit keeps a hostile
    // definitions file ("((((...", thousands deep) from overflowing the stack. Real rules
    // nest three or four deep.
    static constexpr int kMaxDepth = 32;

    std::unique_ptr<Node> parse_not() {
        if (depth_ >= kMaxDepth) {
            fail("the condition nests more than " + std::to_string(kMaxDepth) +
                 " levels of brackets or \"not\"");
        }
        ++depth_;
        auto node = parse_not_inner();
        --depth_;
        return node;
    }

    std::unique_ptr<Node> parse_not_inner() {
        if (is_word("not")) {
            advance();
            auto node = std::make_unique<Node>();
            node->kind = Node::Kind::Not;
            node->children.push_back(parse_not());
            return node;
        }
        return parse_primary();
    }

    std::unique_ptr<Node> parse_primary() {
        if (tok_.type == Token::Type::LParen) {
            advance();
            auto inner = parse_or();
            if (tok_.type != Token::Type::RParen) {
                fail("expected \")\" but found \"" + tok_.text + "\"");
            }
            advance();
            return inner;
        }
        if (tok_.type != Token::Type::Ident) {
            fail("expected a name, \"not\" or \"(\" but found \"" + tok_.text + "\"");
        }
        static const std::set<std::string> kReserved = {"and", "or", "not", "has", "has_any"};
        if (kReserved.count(tok_.text)) {
            fail("expected a name but found the keyword \"" + tok_.text + "\"");
        }
        auto node = std::make_unique<Node>();
        if (tok_.text == "always" || tok_.text == "true" || tok_.text == "false") {
            node->kind = Node::Kind::Const;
            node->constant = tok_.text == "false" ? Tri::False : Tri::True;
            advance();
            return node;
        }
        if (tok_.text == "answered") {
            advance();
            if (tok_.type != Token::Type::LParen) {
                fail("expected \"(\" after answered");
            }
            advance();
            if (tok_.type != Token::Type::Ident) {
                fail("expected an item id inside answered( )");
            }
            node->kind = Node::Kind::Answered;
            node->name = tok_.text;
            advance();
            if (tok_.type != Token::Type::RParen) {
                fail("expected \")\" after answered(" + node->name);
            }
            advance();
            return node;
        }
        node->name = tok_.text;
        node->kind = Node::Kind::Ref;
        advance();
        if (tok_.type == Token::Type::Op) {
            static const std::map<std::string, Op> kMap = {{"==", Op::Eq}, {"!=", Op::Ne},
                                                           {"<", Op::Lt},  {"<=", Op::Le},
                                                           {">", Op::Gt},  {">=", Op::Ge}};
            node->kind = Node::Kind::Compare;
            node->op = kMap.at(tok_.text);
            advance();
            if (tok_.type == Token::Type::Number) {
                node->literal = tok_.number;
            } else if (tok_.type == Token::Type::String) {
                node->literal = tok_.text;
            } else {
                fail("expected a number or a \"string\" after the comparison");
            }
            advance();
        } else if (is_word("has")) {
            node->kind = Node::Kind::Compare;
            node->op = Op::Has;
            advance();
            if (tok_.type != Token::Type::String) {
                fail("expected a \"string\" after has");
            }
            node->literal = tok_.text;
            advance();
        } else if (is_word("has_any")) {
            node->kind = Node::Kind::Compare;
            node->op = Op::HasAny;
            advance();
            if (tok_.type != Token::Type::LBracket) {
                fail("expected a list [\"a\", \"b\"] after has_any");
            }
            advance();
            std::vector<std::string> values;
            while (tok_.type == Token::Type::String) {
                values.push_back(tok_.text);
                advance();
                if (tok_.type == Token::Type::Comma) {
                    advance();
                }
            }
            if (tok_.type != Token::Type::RBracket || values.empty()) {
                fail("expected a non-empty list of \"strings\" closed with ]");
            }
            advance();
            node->literal = values;
        }
        return node;
    }

    std::string_view src_;
    std::size_t i_ = 0;
    Token tok_;
    int depth_ = 0;  // current nesting, see parse_not()
};

// ---------------------------------------------------------------------------------------
// Names

bool is_wildcard(const std::string& name) {
    return name.size() > 2 && name.compare(name.size() - 2, 2, ".*") == 0;
}

bool is_numeric(ItemType t) {
    return t == ItemType::Int || t == ItemType::Num;
}

// For "list.field": the list item and the field, when name is of that form.
std::optional<std::pair<const ItemDef*, const FieldDef*>> list_field(const FormDef& form,
                                                                     const std::string& name) {
    auto dot = name.rfind('.');
    if (dot == std::string::npos) {
        return std::nullopt;
    }
    const ItemDef* item = form.find(name.substr(0, dot));
    if (!item || item->type != ItemType::List) {
        return std::nullopt;
    }
    std::string field = name.substr(dot + 1);
    for (const auto& f : item->fields) {
        if (f.id == field) {
            return std::make_pair(item, &f);
        }
    }
    return std::nullopt;
}

bool numeric_op(Op op) {
    return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge;
}

bool compare_numbers(double a, Op op, double b) {
    switch (op) {
        case Op::Eq:
            return a == b;
        case Op::Ne:
            return a != b;
        case Op::Lt:
            return a < b;
        case Op::Le:
            return a <= b;
        case Op::Gt:
            return a > b;
        case Op::Ge:
            return a >= b;
        default:
            return false;
    }
}

std::string quoted(const std::string& s) {
    return "\"" + s + "\"";
}

std::string join_choices(const std::set<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        out += (out.empty() ? "" : ", ") + quoted(v);
    }
    return out;
}

std::set<std::string> choice_values(const ItemDef& item) {
    std::set<std::string> values;
    if (item.type == ItemType::YesNo) {
        return {"yes", "no", "unknown"};
    }
    for (const auto& c : item.choices) {
        values.insert(c.value);
    }
    return values;
}

void check_node(const Node& n, const ConditionScope& scope, std::vector<std::string>& out) {
    const FormDef& form = *scope.form;
    switch (n.kind) {
        case Node::Kind::Const:
            return;
        case Node::Kind::Not:
        case Node::Kind::And:
        case Node::Kind::Or:
            for (const auto& c : n.children) {
                check_node(*c, scope, out);
            }
            return;
        case Node::Kind::Answered:
            if (!form.find(n.name)) {
                out.push_back("answered(" + n.name + "): unknown item " + quoted(n.name));
            }
            return;
        case Node::Kind::Ref: {
            if (n.name == "any_red_flag") {
                return;
            }
            if (n.name.rfind("flag.", 0) == 0) {
                if (!scope.flag_ids.count(n.name.substr(5))) {
                    out.push_back("unknown red flag " + quoted(n.name.substr(5)));
                }
                return;
            }
            if (const ItemDef* item = form.find(n.name)) {
                if (item->type == ItemType::YesNo || item->type == ItemType::Bool ||
                    item->type == ItemType::Multi || item->type == ItemType::List) {
                    return;
                }
                out.push_back(quoted(n.name) + " is not a yes/no item: compare it (e.g. " + n.name +
                              (is_numeric(item->type) ? " >= 1" : " == \"value\"") + ")");
                return;
            }
            if (auto lf = list_field(form, n.name)) {
                if (lf->second->type != ItemType::Bool) {
                    out.push_back(quoted(n.name) + " is not a true/false field");
                }
                return;
            }
            if (n.name == "age" || n.name == "weight_loss_percent" || n.name == "red_flag_count" ||
                n.name == "duration_category" || n.name == "urgency") {
                out.push_back(quoted(n.name) + " must be compared with a value");
                return;
            }
            out.push_back("unknown item or value " + quoted(n.name));
            return;
        }
        case Node::Kind::Compare:
            break;
    }
    // Comparisons
    const auto* number = std::get_if<double>(&n.literal);
    const auto* text = std::get_if<std::string>(&n.literal);
    const auto* list = std::get_if<std::vector<std::string>>(&n.literal);
    auto need_number = [&]() {
        if (!number) {
            out.push_back(quoted(n.name) + " is a number: compare it with a number");
        }
    };
    if (n.name == "age" || n.name == "weight_loss_percent" || n.name == "red_flag_count") {
        need_number();
        return;
    }
    if (n.name == "duration_category" || n.name == "urgency") {
        const auto& allowed =
            n.name == "urgency" ? scope.urgency_levels : scope.duration_categories;
        if (n.name == "urgency" && !scope.allow_urgency) {
            out.push_back("\"urgency\" can only be used in a red flag's tests and referrals");
        }
        if (!text || (n.op != Op::Eq && n.op != Op::Ne)) {
            out.push_back(quoted(n.name) + " can only be compared with == or != and a \"string\"");
        } else if (!allowed.count(*text)) {
            out.push_back(quoted(*text) + " is not a value of " + n.name + " (one of " +
                          join_choices(allowed) + ")");
        }
        return;
    }
    std::vector<const ItemDef*> items;
    if (is_wildcard(n.name)) {
        for (const auto& id : form.expand(n.name)) {
            items.push_back(form.find(id));
        }
        if (items.empty()) {
            out.push_back(quoted(n.name) + " matches no item");
            return;
        }
    } else if (const ItemDef* item = form.find(n.name)) {
        items.push_back(item);
    } else {
        out.push_back("unknown item or value " + quoted(n.name));
        return;
    }
    for (const ItemDef* item : items) {
        if (n.op == Op::Has || n.op == Op::HasAny) {
            if (item->type != ItemType::Multi) {
                out.push_back(quoted(item->id) +
                              " is not a multiple-choice item: has and has_any "
                              "need one");
                continue;
            }
        } else if (is_numeric(item->type)) {
            if (!number) {
                out.push_back(quoted(item->id) + " is a number: compare it with a number");
                continue;
            }
            if ((item->min && *number < *item->min) || (item->max && *number > *item->max)) {
                out.push_back("the value " + format_number(*number) + " is outside " + item->id +
                              "'s range " + format_number(item->min.value_or(0)) + ".." +
                              format_number(item->max.value_or(0)));
            }
            continue;
        } else if (item->type == ItemType::Enum || item->type == ItemType::YesNo) {
            if (numeric_op(n.op) || !text) {
                out.push_back(quoted(item->id) + " takes == or != with a \"string\"");
                continue;
            }
        } else if (item->type == ItemType::Text) {
            if (!text || numeric_op(n.op)) {
                out.push_back(quoted(item->id) + " takes == or != with a \"string\"");
            }
            continue;
        } else {
            out.push_back(quoted(item->id) + " cannot be compared (use it on its own)");
            continue;
        }
        auto allowed = choice_values(*item);
        std::vector<std::string> values = list ? *list : std::vector<std::string>{};
        if (text) {
            values.push_back(*text);
        }
        for (const auto& v : values) {
            if (!allowed.count(v)) {
                out.push_back(quoted(v) + " is not a choice of " + item->id + " (one of " +
                              join_choices(allowed) + ")");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Evaluation

const Json* answer(const Facts& f, const std::string& id) {
    if (!f.answers || !f.answers->is_object()) {
        return nullptr;
    }
    auto it = f.answers->find(id);
    return it == f.answers->end() ? nullptr : &*it;
}

bool has_value(const Json& multi, const std::string& value) {
    return multi.is_array() && std::any_of(multi.begin(), multi.end(), [&](const Json& v) {
               return v.is_string() && v.get_ref<const std::string&>() == value;
           });
}

// A comparison of one present value. Returns nullopt when the value is absent.
std::optional<bool> compare_value(const Json* value, Op op, const Literal& literal) {
    if (!value || value->is_null()) {
        return std::nullopt;
    }
    if (const auto* number = std::get_if<double>(&literal)) {
        if (!value->is_number()) {
            return false;
        }
        return compare_numbers(value->get<double>(), op, *number);
    }
    if (const auto* text = std::get_if<std::string>(&literal)) {
        if (op == Op::Has) {
            return has_value(*value, *text);
        }
        bool equal = value->is_string() && value->get_ref<const std::string&>() == *text;
        return op == Op::Eq ? equal : op == Op::Ne ? !equal : false;
    }
    const auto& list = std::get<std::vector<std::string>>(literal);
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& v) { return has_value(*value, v); });
}

Outcome absent_outcome(Op op) {
    // Absent values satisfy only "is not equal to": a missing choice is not "recurrent".
    return Outcome{op == Op::Ne ? Tri::True : Tri::False, {}};
}

Outcome eval_compare(const Node& n, const Facts& f) {
    auto number_result = [&](std::optional<double> v, std::vector<std::string> because) {
        if (!v) {
            return absent_outcome(n.op);
        }
        const auto* lit = std::get_if<double>(&n.literal);
        bool ok = lit && compare_numbers(*v, n.op, *lit);
        if (!ok || n.op == Op::Ne) {
            because.clear();
        }
        return Outcome{ok ? Tri::True : Tri::False, ok ? because : std::vector<std::string>{}};
    };
    auto text_result = [&](const std::optional<std::string>& v, std::vector<std::string> because) {
        if (!v) {
            return absent_outcome(n.op);
        }
        const auto* lit = std::get_if<std::string>(&n.literal);
        bool equal = lit && *v == *lit;
        bool ok = n.op == Op::Eq ? equal : n.op == Op::Ne ? !equal : false;
        if (!ok || n.op == Op::Ne) {
            because.clear();
        }
        return Outcome{ok ? Tri::True : Tri::False, because};
    };
    if (n.name == "age") {
        return number_result(f.age ? std::optional<double>(*f.age) : std::nullopt, {});
    }
    if (n.name == "weight_loss_percent") {
        return number_result(f.weight_loss_percent, {"weight_loss_percent"});
    }
    if (n.name == "red_flag_count") {
        return number_result(static_cast<double>(f.red_flag_count), {});
    }
    if (n.name == "duration_category") {
        return text_result(f.duration_category, {"duration_weeks"});
    }
    if (n.name == "urgency") {
        return text_result(f.urgency, {});
    }
    std::vector<std::string> ids;
    if (is_wildcard(n.name)) {
        ids = f.form->expand(n.name);
    } else {
        ids.push_back(n.name);
    }
    Outcome out;
    bool any_present = false;
    for (const auto& id : ids) {
        auto r = compare_value(answer(f, id), n.op, n.literal);
        if (!r) {
            continue;
        }
        any_present = true;
        if (*r) {
            out.value = Tri::True;
            if (n.op != Op::Ne) {
                out.because.push_back(id);
            }
        }
    }
    if (!any_present) {
        return absent_outcome(n.op);
    }
    return out;
}

Outcome eval_node(const Node& n, const Facts& f) {
    switch (n.kind) {
        case Node::Kind::Const:
            return Outcome{n.constant, {}};
        case Node::Kind::Not: {
            Outcome inner = eval_node(*n.children.front(), f);
            return Outcome{tri_not(inner.value), {}};
        }
        case Node::Kind::And: {
            Outcome out{Tri::True, {}};
            for (const auto& c : n.children) {
                Outcome r = eval_node(*c, f);
                out.value = tri_and(out.value, r.value);
                out.because.insert(out.because.end(), r.because.begin(), r.because.end());
            }
            if (out.value != Tri::True) {
                out.because.clear();
            }
            return out;
        }
        case Node::Kind::Or: {
            // Every true branch is a reason, not only the first: the clinician sees all of them.
            Outcome out{Tri::False, {}};
            for (const auto& c : n.children) {
                Outcome r = eval_node(*c, f);
                out.value = tri_or(out.value, r.value);
                if (r.value == Tri::True) {
                    out.because.insert(out.because.end(), r.because.begin(), r.because.end());
                }
            }
            return out;
        }
        case Node::Kind::Answered: {
            const Json* v = answer(f, n.name);
            bool answered = v && !v->is_null() && !(v->is_string() && *v == "unknown");
            return Outcome{answered ? Tri::True : Tri::False, {}};
        }
        case Node::Kind::Compare:
            return eval_compare(n, f);
        case Node::Kind::Ref:
            break;
    }
    if (n.name == "any_red_flag") {
        return Outcome{f.any_red_flag, {}};
    }
    if (n.name.rfind("flag.", 0) == 0) {
        std::string id = n.name.substr(5);
        bool on = f.positive_flags && f.positive_flags->count(id);
        return Outcome{on ? Tri::True : Tri::False,
                       on ? std::vector<std::string>{id} : std::vector<std::string>{}};
    }
    const ItemDef* item = f.form->find(n.name);
    if (!item) {
        // list.field: true when some entry of the list has the field set.
        auto dot = n.name.rfind('.');
        const Json* list = answer(f, n.name.substr(0, dot));
        std::string field = n.name.substr(dot + 1);
        bool any =
            list && list->is_array() && std::any_of(list->begin(), list->end(), [&](const Json& e) {
                return e.is_object() && e.contains(field) && e[field] == true;
            });
        return Outcome{
            any ? Tri::True : Tri::False,
            any ? std::vector<std::string>{n.name.substr(0, dot)} : std::vector<std::string>{}};
    }
    const Json* v = answer(f, n.name);
    Tri t = Tri::False;
    switch (item->type) {
        case ItemType::YesNo:
            t = v && *v == "yes" ? Tri::True : v && *v == "no" ? Tri::False : Tri::Unknown;
            break;
        case ItemType::Bool:
            t = v && *v == true ? Tri::True : Tri::False;
            break;
        default:
            t = v && v->is_array() && !v->empty() ? Tri::True : Tri::False;
            break;
    }
    return Outcome{t,
                   t == Tri::True ? std::vector<std::string>{n.name} : std::vector<std::string>{}};
}

void dedupe(std::vector<std::string>& v) {
    std::vector<std::string> out;
    for (auto& s : v) {
        if (std::find(out.begin(), out.end(), s) == out.end()) {
            out.push_back(std::move(s));
        }
    }
    v = std::move(out);
}

}  // namespace

Condition::Condition(std::string text, std::unique_ptr<Node> root)
    : text_(std::move(text)), root_(std::move(root)) {}

Condition::~Condition() = default;

std::shared_ptr<const Condition> Condition::parse(std::string_view text) {
    Parser parser(text);
    auto root = parser.parse_all();
    return std::make_shared<const Condition>(std::string(text), std::move(root));
}

std::vector<std::string> Condition::check(const ConditionScope& scope) const {
    std::vector<std::string> out;
    check_node(*root_, scope, out);
    return out;
}

Outcome Condition::evaluate(const Facts& facts) const {
    Outcome out = eval_node(*root_, facts);
    dedupe(out.because);
    return out;
}

}  // namespace myo
