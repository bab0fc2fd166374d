#include "conformance/expr/expr.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <functional>

namespace tconv {

struct Expr::Node {
  enum Kind { number, text, name, unary, binary, call } kind = number;
  // Where a name stands (expr.h): a value, a whole condition, or the right of == / !=.
  enum Role { as_value, as_condition, as_text } role = as_value;
  std::int64_t value = 0;
  std::string word;  // text literal, name, operator or function
  std::vector<std::shared_ptr<Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<Expr::Node>;

struct Token {
  enum Kind { end, number, text, name, op } kind = end;
  std::string word;
  std::int64_t value = 0;
  std::size_t pos = 0;  // 0-based offset in the source
};

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src) {}

  Result<NodePtr> parse_all() {
    if (!tokenize()) return Result<NodePtr>::failure(error_);
    NodePtr root = parse_or();
    if (root && peek().kind != Token::end) fail_here("unexpected");
    if (!error_.empty()) return Result<NodePtr>::failure(error_);
    return root;
  }

 private:
  bool tokenize() {
    static const char* kOps[] = {"&&", "||", "==", "!=", "<=", ">=", "<", ">", "=", "+",
                                 "-",  "*",  "/",  "%",  "!",  "(",  ")", ","};
    std::size_t i = 0;
    while (i < src_.size()) {
      const char c = src_[i];
      if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
      Token t;
      t.pos = i;
      if (std::isdigit(static_cast<unsigned char>(c))) {
        std::size_t j = i;
        while (j < src_.size() && std::isdigit(static_cast<unsigned char>(src_[j]))) ++j;
        auto [p, ec] = std::from_chars(src_.data() + i, src_.data() + j, t.value);
        if (ec != std::errc()) return set_error(i, "number too large");
        t.kind = Token::number;
        i = j;
      } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        std::size_t j = i;
        while (j < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[j])) || src_[j] == '_')) ++j;
        t.word = std::string(src_.substr(i, j - i));
        i = j;
        if (t.word == "and") { t.kind = Token::op; t.word = "&&"; }
        else if (t.word == "or") { t.kind = Token::op; t.word = "||"; }
        else if (t.word == "not") { t.kind = Token::op; t.word = "!"; }
        else if (t.word == "true" || t.word == "false") { t.kind = Token::number; t.value = t.word == "true"; }
        else t.kind = Token::name;
      } else if (c == '\'' || c == '"') {
        const std::size_t close = src_.find(c, i + 1);
        if (close == std::string_view::npos) return set_error(i, "unterminated text literal");
        t.kind = Token::text;
        t.word = std::string(src_.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        const char* match = nullptr;
        for (const char* op : kOps)
          if (src_.substr(i).starts_with(op)) { match = op; break; }
        if (!match) return set_error(i, std::string("unexpected character '") + c + "'");
        t.kind = Token::op;
        t.word = match;
        i += t.word.size();
        if (t.word == "=") t.word = "==";  // one spelling of equality in the tree
      }
      tokens_.push_back(t);
    }
    Token end;
    end.pos = src_.size();
    tokens_.push_back(end);
    return true;
  }

  bool set_error(std::size_t pos, const std::string& what) {
    if (error_.empty()) error_ = what + " at character " + std::to_string(pos + 1) + " of '" + std::string(src_) + "'";
    return false;
  }
  NodePtr fail_here(const std::string& what) {
    const Token& t = peek();
    const std::string shown = t.kind == Token::end ? "end of expression" : "'" + token_text(t) + "'";
    set_error(t.pos, what + " " + shown);
    return nullptr;
  }
  static std::string token_text(const Token& t) {
    if (t.kind == Token::number) return std::to_string(t.value);
    if (t.kind == Token::text) return "'" + t.word + "'";
    return t.word;
  }

  const Token& peek() const { return tokens_[next_]; }
  bool accept(const char* op) {
    if (peek().kind == Token::op && peek().word == op) { ++next_; return true; }
    return false;
  }

  static NodePtr make(Expr::Node::Kind k, std::string word, std::vector<NodePtr> args) {
    auto n = std::make_shared<Expr::Node>();
    n->kind = k;
    n->word = std::move(word);
    n->args = std::move(args);
    return n;
  }

  NodePtr parse_or() {
    NodePtr left = parse_and();
    while (left && accept("||")) {
      NodePtr right = parse_and();
      if (!right) return nullptr;
      left = make(Expr::Node::binary, "||", {left, right});
    }
    return left;
  }
  NodePtr parse_and() {
    NodePtr left = parse_not();
    while (left && accept("&&")) {
      NodePtr right = parse_not();
      if (!right) return nullptr;
      left = make(Expr::Node::binary, "&&", {left, right});
    }
    return left;
  }
  NodePtr parse_not() {
    if (accept("!")) {
      NodePtr inner = parse_not();
      return inner ? make(Expr::Node::unary, "!", {inner}) : nullptr;
    }
    return parse_compare();
  }
  static bool is_compare(const Token& t) {
    static const char* kCmp[] = {"==", "!=", "<", "<=", ">", ">="};
    return t.kind == Token::op && std::any_of(std::begin(kCmp), std::end(kCmp), [&](const char* c) { return t.word == c; });
  }
  NodePtr parse_compare() {
    NodePtr left = parse_sum();
    if (!left || !is_compare(peek())) return left;
    const std::string op = peek().word;
    ++next_;
    NodePtr right = parse_sum();
    if (!right) return nullptr;
    if (is_compare(peek())) return fail_here("chained comparison (use &&) at");
    return make(Expr::Node::binary, op, {left, right});
  }
  NodePtr parse_sum() {
    NodePtr left = parse_product();
    while (left && (peek().word == "+" || peek().word == "-") && peek().kind == Token::op) {
      const std::string op = tokens_[next_++].word;
      NodePtr right = parse_product();
      if (!right) return nullptr;
      left = make(Expr::Node::binary, op, {left, right});
    }
    return left;
  }
  NodePtr parse_product() {
    NodePtr left = parse_unary();
    while (left && peek().kind == Token::op && (peek().word == "*" || peek().word == "/" || peek().word == "%")) {
      const std::string op = tokens_[next_++].word;
      NodePtr right = parse_unary();
      if (!right) return nullptr;
      left = make(Expr::Node::binary, op, {left, right});
    }
    return left;
  }
  NodePtr parse_unary() {
    if (accept("-")) {
      NodePtr inner = parse_unary();
      return inner ? make(Expr::Node::unary, "-", {inner}) : nullptr;
    }
    return parse_primary();
  }
  NodePtr parse_primary() {
    const Token t = peek();
    if (t.kind == Token::number) {
      ++next_;
      auto n = std::make_shared<Expr::Node>();
      n->kind = Expr::Node::number;
      n->value = t.value;
      return n;
    }
    if (t.kind == Token::text) {
      ++next_;
      return make(Expr::Node::text, t.word, {});
    }
    if (t.kind == Token::name) {
      ++next_;
      if (accept("(")) return parse_call(t);
      return make(Expr::Node::name, t.word, {});
    }
    if (accept("(")) {
      NodePtr inner = parse_or();
      if (!inner) return nullptr;
      if (!accept(")")) return fail_here("expected ')' instead of");
      return inner;
    }
    return fail_here("expected a value instead of");
  }
  NodePtr parse_call(const Token& fn) {
    const std::size_t arity = fn.word == "abs" ? 1 : (fn.word == "min" || fn.word == "max" || fn.word == "contains") ? 2 : 0;
    if (arity == 0) {
      set_error(fn.pos, "unknown function '" + fn.word + "' (known: min, max, abs, contains)");
      return nullptr;
    }
    std::vector<NodePtr> args;
    do {
      NodePtr a = parse_or();
      if (!a) return nullptr;
      args.push_back(a);
    } while (accept(","));
    if (!accept(")")) return fail_here("expected ')' instead of");
    if (args.size() != arity) {
      set_error(fn.pos, fn.word + "() takes " + std::to_string(arity) + " argument(s), got " + std::to_string(args.size()));
      return nullptr;
    }
    return make(Expr::Node::call, fn.word, std::move(args));
  }

  std::string_view src_;
  std::vector<Token> tokens_;
  std::size_t next_ = 0;
  std::string error_;
};

void add_once(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Gives every name its role (expr.h) and lists it, left to right.
void assign_roles(Expr::Node& n, Expr::Node::Role role, std::vector<std::string>* lists[3]) {
  using N = Expr::Node;
  if (n.kind == N::name) {
    n.role = role;
    add_once(*lists[role], n.word);
    return;
  }
  const bool logic = (n.kind == N::binary && (n.word == "&&" || n.word == "||")) || (n.kind == N::unary && n.word == "!");
  const bool equality = n.kind == N::binary && (n.word == "==" || n.word == "!=");
  for (std::size_t i = 0; i < n.args.size(); ++i)
    assign_roles(*n.args[i], logic ? N::as_condition : (equality && i == 1) ? N::as_text : N::as_value, lists);
}

std::string kind_name(ExprKind k) { return k == ExprKind::text ? "text" : "a number"; }

// The kind an expression gives, or why it cannot be evaluated for any case with these keys.
Result<ExprKind> kind_of(const Expr::Node& n, const ExprKeys& keys) {
  using N = Expr::Node;
  using R = Result<ExprKind>;
  switch (n.kind) {
    case N::number: return ExprKind::number;
    case N::text: return ExprKind::text;
    case N::name: {
      if (auto it = keys.kinds.find(n.word); it != keys.kinds.end()) return it->second;
      if (n.role == N::as_text) return ExprKind::text;
      if (n.role == N::as_condition && keys.kinds.count("name")) return ExprKind::number;
      std::string known;
      for (const auto& [k, kind] : keys.kinds) known += (known.empty() ? "" : " ") + k;
      return R::failure("unknown " + keys.what + " '" + n.word + "' (" + keys.what + "s: " + known + ")");
    }
    default: break;
  }
  std::vector<ExprKind> args;
  for (const auto& a : n.args) {
    auto k = kind_of(*a, keys);
    if (!k) return k;
    args.push_back(*k);
  }
  const bool equality = n.kind == N::binary && (n.word == "==" || n.word == "!=");
  if (equality) {
    if (args[0] != args[1]) return R::failure("'" + n.word + "' compares " + kind_name(args[0]) + " with " + kind_name(args[1]));
    return ExprKind::number;
  }
  const ExprKind want = n.kind == N::call && n.word == "contains" ? ExprKind::text : ExprKind::number;
  for (ExprKind k : args)
    if (k != want) return R::failure("'" + n.word + "' needs " + (want == ExprKind::text ? "text" : "numbers") + ", got " + kind_name(k));
  return ExprKind::number;
}

using EvalResult = Result<ExprValue>;

std::string show(const ExprValue& v) {
  if (v.is_text()) return "'" + v.text + "'";
  if (v.nums.size() == 1) return std::to_string(v.nums[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < v.nums.size(); ++i) s += (i ? ", " : "") + std::to_string(v.nums[i]);
  return s + "]";
}

bool truthy(const ExprValue& v) {
  return std::all_of(v.nums.begin(), v.nums.end(), [](std::int64_t x) { return x != 0; });
}

// Applies f per component, broadcasting a single component against a vector.
EvalResult per_component(const std::string& op, const ExprValue& a, const ExprValue& b,
                         const std::function<Result<std::int64_t>(std::int64_t, std::int64_t)>& f) {
  if (a.is_text() || b.is_text())
    return EvalResult::failure("'" + op + "' needs numbers, got " + show(a) + " and " + show(b));
  const std::size_t n = std::max(a.nums.size(), b.nums.size());
  if (a.nums.size() != b.nums.size() && a.nums.size() != 1 && b.nums.size() != 1)
    return EvalResult::failure("'" + op + "' between " + show(a) + " and " + show(b) + ": different numbers of components");
  ExprValue out;
  for (std::size_t i = 0; i < n; ++i) {
    auto r = f(a.nums[a.nums.size() == 1 ? 0 : i], b.nums[b.nums.size() == 1 ? 0 : i]);
    if (!r) return EvalResult::failure(r.error());
    out.nums.push_back(*r);
  }
  return out;
}

EvalResult eval_node(const Expr::Node& n, const ExprEnv& env);

EvalResult eval_binary(const Expr::Node& n, const ExprEnv& env) {
  const std::string& op = n.word;
  auto a = eval_node(*n.args[0], env);
  if (!a) return a;
  if (op == "&&" || op == "||") {
    if (a->is_text()) return EvalResult::failure("'" + op + "' needs a condition, got " + show(*a));
    const bool left = truthy(*a);
    if (op == "&&" && !left) return ExprValue::number(0);  // short-circuit, like C
    if (op == "||" && left) return ExprValue::number(1);
    auto b = eval_node(*n.args[1], env);
    if (!b) return b;
    if (b->is_text()) return EvalResult::failure("'" + op + "' needs a condition, got " + show(*b));
    return ExprValue::number(truthy(*b));
  }
  auto b = eval_node(*n.args[1], env);
  if (!b) return b;
  if (op == "==" || op == "!=") {
    bool equal = false;
    if (a->is_text() != b->is_text()) return EvalResult::failure("'" + op + "' compares text with a number: " + show(*a) + " and " + show(*b));
    if (a->is_text()) {
      equal = a->text == b->text;
    } else {
      auto e = per_component(op, *a, *b, [](std::int64_t x, std::int64_t y) { return Result<std::int64_t>(x == y); });
      if (!e) return e;
      equal = truthy(*e);
    }
    return ExprValue::number(op == "==" ? equal : !equal);
  }
  using R = Result<std::int64_t>;
  std::function<R(std::int64_t, std::int64_t)> f;
  if (op == "<") f = [](std::int64_t x, std::int64_t y) { return R(x < y); };
  else if (op == "<=") f = [](std::int64_t x, std::int64_t y) { return R(x <= y); };
  else if (op == ">") f = [](std::int64_t x, std::int64_t y) { return R(x > y); };
  else if (op == ">=") f = [](std::int64_t x, std::int64_t y) { return R(x >= y); };
  else if (op == "+") f = [](std::int64_t x, std::int64_t y) { return R(x + y); };
  else if (op == "-") f = [](std::int64_t x, std::int64_t y) { return R(x - y); };
  else if (op == "*") f = [](std::int64_t x, std::int64_t y) { return R(x * y); };
  else if (op == "/" || op == "%")
    f = [op](std::int64_t x, std::int64_t y) {
      if (y == 0) return R::failure("division by zero in '" + op + "'");
      return R(op == "/" ? x / y : x % y);
    };
  auto r = per_component(op, *a, *b, f);
  if (!r) return r;
  const bool comparison = op == "<" || op == "<=" || op == ">" || op == ">=";
  return comparison ? ExprValue::number(truthy(*r)) : *r;
}

EvalResult eval_node(const Expr::Node& n, const ExprEnv& env) {
  switch (n.kind) {
    case Expr::Node::number: return ExprValue::number(n.value);
    case Expr::Node::text: return ExprValue{{}, n.word};
    case Expr::Node::name: {
      auto it = env.find(n.word);
      if (it != env.end()) return it->second;
      if (n.role == Expr::Node::as_text) return ExprValue{{}, n.word};
      if (auto name = env.find("name"); n.role == Expr::Node::as_condition && name != env.end() && name->second.is_text())
        return ExprValue::number(name->second.text.find(n.word) != std::string::npos);
      return EvalResult::failure("'" + n.word + "' has no value in this case");
    }
    case Expr::Node::unary: {
      auto a = eval_node(*n.args[0], env);
      if (!a) return a;
      if (a->is_text()) return EvalResult::failure("'" + n.word + "' needs a number, got " + show(*a));
      if (n.word == "!") return ExprValue::number(!truthy(*a));
      ExprValue out = *a;
      for (auto& v : out.nums) v = -v;
      return out;
    }
    case Expr::Node::binary: return eval_binary(n, env);
    case Expr::Node::call: {
      auto a = eval_node(*n.args[0], env);
      if (!a) return a;
      if (n.word == "abs") {
        if (a->is_text()) return EvalResult::failure("abs() needs a number, got " + show(*a));
        ExprValue out = *a;
        for (auto& v : out.nums) v = std::llabs(v);
        return out;
      }
      auto b = eval_node(*n.args[1], env);
      if (!b) return b;
      if (n.word == "contains") {
        if (!a->is_text() || !b->is_text()) return EvalResult::failure("contains() needs text, got " + show(*a) + " and " + show(*b));
        return ExprValue::number(a->text.find(b->text) != std::string::npos);
      }
      const bool is_min = n.word == "min";
      return per_component(n.word, *a, *b, [is_min](std::int64_t x, std::int64_t y) {
        return Result<std::int64_t>(is_min ? std::min(x, y) : std::max(x, y));
      });
    }
  }
  return EvalResult::failure("bad expression");
}

}  // namespace

Result<Expr> Expr::parse(std::string_view source, const ExprKeys* keys) {
  Expr e;
  e.source_ = std::string(source);
  Parser parser(e.source_);
  auto root = parser.parse_all();
  if (!root) return Result<Expr>::failure(root.error());
  std::vector<std::string>* lists[3] = {&e.names_, &e.condition_words_, &e.text_words_};
  assign_roles(**root, Node::as_condition, lists);
  if (keys)
    if (auto kind = kind_of(**root, *keys); !kind)
      return Result<Expr>::failure(kind.error() + " in '" + e.source_ + "'");
  e.root_ = *root;
  return e;
}

Result<ExprValue> Expr::eval(const ExprEnv& env) const { return eval_node(*root_, env); }

Result<bool> Expr::test(const ExprEnv& env) const {
  auto v = eval(env);
  if (!v) return Result<bool>::failure(v.error());
  if (v->is_text()) return Result<bool>::failure("the condition is text (" + show(*v) + "), not true/false");
  return truthy(*v);
}

}  // namespace tconv
