#include "frontends/typescript/collect.h"
#include "sql/parser.h"

#include "core/paths.h"
#include "frontends/typescript/syntax.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

namespace querylens {

namespace {

// Callbacks these calls take run later (a timer, an event, a job), not once per iteration of a
// loop the call sits in.
const std::set<std::string_view> kDeferring = {"setTimeout", "setInterval", "setImmediate", "queueMicrotask", "nextTick",
                                               "schedule", "scheduleJob", "cron", "on", "once", "addListener",
                                               "addEventListener", "subscribe", "listen", "process", "defer", "after"};
// Callee names that say an await waits on I/O outside the database.
const char* const kIoCallees[] = {"fetch", "axios", "http", "request", "exec", "spawn", "docker", "upload", "download",
                                  "publish", "send", "enqueue", "notify", "mail", "webhook", "stripe", "s3", "storage",
                                  "invoke", "render", "sleep", "wait", "delay", "queue"};
const std::set<std::string_view> kChunkNames = {"chunk", "chunks", "batch", "batches", "chunked", "splitEvery", "partition"};

const std::set<std::string_view> kIterationMethods = {"forEach", "map",  "flatMap", "filter", "reduce",
                                                       "reduceRight", "some", "every", "find", "findIndex"};
constexpr size_t kBoundedLiteral = 10;  // a literal array this short is a fixed set, not data

// Loop-stack markers besides loop indices.
constexpr int kSwitch = -2;
constexpr int kFunctionBoundary = -3;  // anonymous function: `return` inside it stays inside

bool small_literal_array(TSNode n) {
    n = unwrap(n);
    if (!is(n, "array")) return false;
    const auto kids = named_children(n);
    if (kids.size() > kBoundedLiteral) return false;
    for (TSNode k : kids)
        if (is(k, "spread_element")) return false;
    return true;
}

// The text of a `: Type` annotation without the colon: "NodePgDatabase<typeof schema>".
std::string annotation(TSNode type, const std::string& src) {
    std::string t(node_text(type, src));
    if (!t.empty() && t[0] == ':') t.erase(0, 1);
    while (!t.empty() && t[0] == ' ') t.erase(0, 1);
    return t;
}

bool same(TSNode a, TSNode b) { return !ts_node_is_null(a) && !ts_node_is_null(b) && ts_node_eq(a, b); }

class Collector {
public:
    Collector(const SourceFile& file, TsFile& out) : src_(file.text()), out_(out), migration_file_(migration_path(file.path())) {}

    void run(TSNode root);

private:
    struct Frame {
        TSNode node{};
        int pushed_function = 0;  // 1 when entering this node opened a function
        int pushed_loops = 0;     // entries pushed on loops_
        bool pushed_class = false;
        bool pushed_barrier = false;  // a deferred callback: loops outside it are not its loops
    };

    std::string text(TSNode n) const { return std::string(node_text(n, src_)); }
    void enter(TSNode n, Frame& f);
    void leave(const Frame& f);
    TSNode parent_node(size_t up) const {
        return frames_.size() > up ? frames_[frames_.size() - 1 - up].node : TSNode{};
    }
    int current_function() const { return functions_.back(); }
    // enclosing_function(n) (syntax.h) for a node being entered, read from the frame stack of its
    // ancestors instead of ts_node_parent (which walks down from the root at every step); any
    // other node goes the slow way.
    TSNode enclosing_function_of(TSNode n) const {
        if (frames_.empty() || !ts_node_eq(frames_.back().node, n)) return enclosing_function(n);
        for (size_t i = frames_.size(), guard = 0; i > 0 && guard < 256; --i, ++guard)
            if (function_scope(node_type(frames_[i - 1].node))) return frames_[i - 1].node;
        return frames_.size() > 256 ? frames_[frames_.size() - 1 - 256].node : frames_.front().node;
    }
    int current_loop() const {
        for (size_t i = loops_.size(); i > barriers_.back(); --i)
            if (loops_[i - 1] >= 0) return loops_[i - 1];
        return -1;
    }
    int open_function(const std::string& name, TSNode n) {
        const int id = static_cast<int>(out_.functions.size());
        out_.functions.push_back({name, classes_.empty() ? std::string() : classes_.back(), ts_node_start_byte(n), ts_node_end_byte(n)});
        out_.function_by_name.emplace(name, id);
        functions_.push_back(id);
        barriers_.push_back(loops_.size());
        return id;
    }
    int add_loop(std::string kind, TSNode at, bool bounded, bool statement, TSNode iterable = TSNode{}) {
        TsLoopDecl loop;
        loop.kind = std::move(kind);
        loop.offset = ts_node_start_byte(at);
        loop.bounded = bounded;
        loop.statement = statement;
        loop.function = current_function();
        out_.loops.push_back(std::move(loop));
        if (!ts_node_is_null(iterable)) out_.loops.back().source = iterable_path(iterable, 0);
        return static_cast<int>(out_.loops.size()) - 1;
    }
    std::string iterable_path(TSNode n, int depth) const;
    void bind_result(TsSite& site) const;
    void row_use(TsSite& site) const;
    void function_like(TSNode n, Frame& f);
    void loop_body(TSNode loop, Frame& f);
    void call(TSNode n);
    void pool_site(TSNode n);
    void chain_facts(TsSite& site) const;
    std::string row_binding(TSNode fn, std::string name, uint32_t before) const;
    std::string loop_row_source(TSNode fn, const std::string& name, uint32_t at) const;
    TSNode declarator_of(TSNode fn, const std::string& name, uint32_t before) const;
    TSNode declared_value(TSNode fn, const std::string& name, uint32_t before) const;
    void top_level_declaration(TSNode decl);
    void constants(const std::string& name, TSNode value);
    void import_statement(TSNode n);
    void dynamic_import(TSNode n);
    void export_statement(TSNode n);
    void class_member_types(TSNode n);
    void mark_exit(bool is_return);
    std::vector<std::string> bound_names(TSNode n) const;
    bool chunk_iterable(TSNode n) const;
    bool constant_bound(TSNode cond) const;
    bool constant_object(TSNode n) const;
    void await_expression(TSNode n);
    bool other_engine_client(TSNode call) const;
    bool mentions_loop_vars(TSNode n, int loop) const;
    void add_site(TsSiteKind kind, TSNode node, int function, int loop) {
        TsSite site;
        site.kind = kind;
        site.node = node;
        site.offset = ts_node_start_byte(node);
        if (kind == TsSiteKind::Call) {
            site.callee = callee_of(field(node, "function"), src_);
            TSNode child = node;
            // The call is the node being entered, so its ancestors are on the frame stack
            // (ts_node_parent walks down from the root each time).
            size_t depth = frames_.size();
            while (depth > 0 && !ts_node_eq(frames_[depth - 1].node, node)) --depth;
            for (int up = 0; up < 8; ++up) {
                TSNode p = depth > 1 ? frames_[--depth - 1].node : ts_node_parent(child);
                const auto t = node_type(p);
                if (t == "return_statement" || (t == "arrow_function" && same(field(p, "body"), child))) {
                    site.value_returned = true;
                    break;
                }
                if (t != "await_expression" && t != "parenthesized_expression" && t != "as_expression" &&
                    t != "non_null_expression" && t != "satisfies_expression" && t != "arguments" && t != "call_expression")
                    break;
                child = p;
            }
        }
        if (kind == TsSiteKind::CallbackRef) site.callee = callee_of(node, src_);
        site.function = function;
        site.loop = loop;
        site.loop_invariant = site.loop >= 0 && !mentions_loop_vars(site.node, site.loop);
        if (site.kind != TsSiteKind::Call && site.kind != TsSiteKind::CallbackRef) {
            bind_result(site);
            row_use(site);
        }
        out_.sites.push_back(std::move(site));
    }
    std::string owner_object_name(TSNode object_node, size_t object_depth) const;

    const std::string& src_;
    TsFile& out_;
    const bool migration_file_;  // a migration written as code (core/paths.h migration_path)
    std::vector<Frame> frames_;
    std::vector<int> functions_;
    std::vector<size_t> barriers_;
    std::vector<int> loops_;
    std::vector<std::string> classes_;
};

void Collector::run(TSNode root) {
    out_.functions.push_back({"<module>", "", 0});
    functions_.push_back(0);
    barriers_.push_back(0);
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        frames_.push_back({n});
        // Punctuation and keywords (anonymous nodes) declare, call and loop nothing.
        if (ts_node_is_named(n)) enter(n, frames_.back());
        if (ts_tree_cursor_goto_first_child(&c)) continue;
        // Leave this node and every ancestor that has no next sibling.
        bool done = false;
        for (;;) {
            leave(frames_.back());
            frames_.pop_back();
            if (ts_tree_cursor_goto_next_sibling(&c)) break;
            if (!ts_tree_cursor_goto_parent(&c)) {
                done = true;
                break;
            }
        }
        if (done) break;
    }
    ts_tree_cursor_delete(&c);
}

void Collector::leave(const Frame& f) {
    for (int i = 0; i < f.pushed_loops; ++i) loops_.pop_back();
    if (f.pushed_function) {
        functions_.pop_back();
        barriers_.pop_back();
    }
    if (f.pushed_class) classes_.pop_back();
    if (f.pushed_barrier) barriers_.pop_back();
}

// Name of the variable an object literal is bound to (`const repo = { ... }`), or "".
std::string Collector::owner_object_name(TSNode object_node, size_t object_depth) const {
    TSNode p = parent_node(object_depth + 1);
    if (is(p, "variable_declarator") && same(field(p, "value"), object_node)) return text(field(p, "name"));
    return {};
}

void Collector::function_like(TSNode n, Frame& f) {
    const auto type = node_type(n);
    TSNode parent = parent_node(1);
    if (type == "function_declaration" || type == "generator_function_declaration") {
        f.pushed_function = open_function(text(field(n, "name")), n) >= 0;
        return;
    }
    if (type == "method_definition") {
        const std::string name = text(field(n, "name"));
        if (is(parent, "class_body") && !classes_.empty()) {
            const std::string cls = classes_.back();
            const int id = open_function(cls + "." + name, n);
            out_.classes[cls].methods.emplace(name, id);
            f.pushed_function = 1;
            if (name == "constructor") class_member_types(n);
        } else if (is(parent, "object")) {
            const std::string owner = owner_object_name(parent, 1);
            open_function(owner.empty() ? name : owner + "." + name, n);
            f.pushed_function = 1;
        }
        return;
    }
    // arrow_function / function_expression / function
    if (is(parent, "variable_declarator") && same(field(parent, "value"), n)) {
        open_function(text(field(parent, "name")), n);
        f.pushed_function = 1;
        return;
    }
    if (is(parent, "pair") && same(field(parent, "value"), n)) {
        const std::string owner = owner_object_name(parent_node(2), 2);
        if (!owner.empty()) {
            open_function(owner + "." + text(field(parent, "key")), n);
            f.pushed_function = 1;
            return;
        }
    }
    if (is(parent, "public_field_definition") && !classes_.empty()) {
        const std::string cls = classes_.back(), name = text(field(parent, "name"));
        const int id = open_function(cls + "." + name, n);
        out_.classes[cls].methods.emplace(name, id);
        f.pushed_function = 1;
        return;
    }
    // A callback of an iteration method runs once per element: a loop of its own.
    TSNode call = parent_node(2);
    if (is(parent, "arguments") && is(call, "call_expression")) {
        TSNode callee = field(call, "function");
        if (is(callee, "member_expression") && kIterationMethods.count(node_text(field(callee, "property"), src_))) {
            const bool bounded = small_literal_array(field(callee, "object")) || constant_object(field(callee, "object"));
            loops_.push_back(kFunctionBoundary);
            loops_.push_back(add_loop("." + text(field(callee, "property")) + " callback", callee, bounded, false,
                                      field(callee, "object")));
            out_.loops.back().vars = bound_names(n);
            out_.loops.back().chunked = chunk_iterable(field(callee, "object"));
            f.pushed_loops = 2;
            return;
        }
    }
    if (is(parent, "arguments") && is(call, "call_expression")) {
        TSNode callee = field(call, "function");
        const std::string_view name =
            is(callee, "member_expression") ? node_text(field(callee, "property"), src_) : node_text(callee, src_);
        if (kDeferring.count(name)) {  // runs when it fires: the enclosing loop is not its loop
            barriers_.push_back(loops_.size());
            f.pushed_barrier = true;
        }
    }
    loops_.push_back(kFunctionBoundary);  // other anonymous functions run where they are written
    f.pushed_loops = 1;
}

// Constructor parameter properties (`constructor(private readonly db: NodePgDatabase)`).
void Collector::class_member_types(TSNode ctor) {
    for (TSNode p : named_children(field(ctor, "parameters"))) {
        bool property = false;
        for (TSNode k : named_children(p))
            if (is(k, "accessibility_modifier") || is(k, "override_modifier")) property = true;
        if (!property && node_text(p, src_).find("readonly") == std::string_view::npos) continue;
        const std::string name = text(field(p, "pattern"));
        if (!name.empty()) out_.classes[classes_.back()].field_types[name] = annotation(field(p, "type"), src_);
    }
}

void Collector::loop_body(TSNode loop, Frame& f) {
    const auto type = node_type(loop);
    std::string kind = "for";
    bool bounded = false, chunked = false;
    std::vector<std::string> out_vars;
    if (type == "for_in_statement") {
        kind = "for...in";
        TSTreeCursor c = ts_tree_cursor_new(loop);
        bool await = false;
        if (ts_tree_cursor_goto_first_child(&c)) {
            do {
                TSNode k = ts_tree_cursor_current_node(&c);
                if (ts_node_is_named(k)) continue;
                if (node_type(k) == "of") kind = "for...of";
                if (node_type(k) == "await") await = true;
            } while (ts_tree_cursor_goto_next_sibling(&c));
        }
        ts_tree_cursor_delete(&c);
        if (await) kind = "for await...of";
        bounded = small_literal_array(field(loop, "right")) || constant_object(field(loop, "right"));
        out_vars = bound_names(field(loop, "left"));
        chunked = chunk_iterable(field(loop, "right"));
    } else if (type == "for_statement") {
        out_vars = bound_names(field(loop, "initializer"));
        // `i += size` (not 1): the body handles a batch per iteration.
        TSNode update = field(loop, "increment");
        if (is(update, "augmented_assignment_expression") && node_text(update, src_).find("+=") != std::string_view::npos &&
            text(field(update, "right")) != "1")
            chunked = true;
        TSNode cond = field(loop, "condition");
        if (is(cond, "expression_statement")) cond = named_children(cond).empty() ? cond : named_children(cond)[0];
        if (is(cond, "binary_expression") && is(field(cond, "right"), "number"))
            bounded = std::strtod(text(field(cond, "right")).c_str(), nullptr) <= kBoundedLiteral;
        bounded = bounded || constant_bound(cond);
        // Retries and pages: `for (let attempt = 1; ...)`, `for (let page = 0; ...)` run a query per
        // attempt or per page on purpose.
        for (const auto& v : out_vars)
            if (v == "attempt" || v == "attempts" || v == "retry" || v == "retries" || v == "tries" || v == "page") chunked = true;
    } else if (type == "while_statement") {
        kind = "while";
        TSNode cond = field(loop, "condition");
        if (is(cond, "parenthesized_expression") && !named_children(cond).empty()) cond = named_children(cond)[0];
        bounded = constant_bound(cond);
    } else if (type == "do_statement") {
        kind = "do...while";
    }
    loops_.push_back(add_loop(kind, loop, bounded, true,
                              type == "for_in_statement" && kind != "for...in" ? field(loop, "right") : TSNode{}));
    out_.loops.back().vars = std::move(out_vars);
    out_.loops.back().chunked = chunked;
    f.pushed_loops = 1;
}

// "rows", "result.rows", "app.mounts": what a loop iterates, as a path of names, looking through
// the array methods and helpers that keep (a part of) the same elements.
std::string Collector::iterable_path(TSNode n, int depth) const {
    static const std::set<std::string_view> kSameElements = {"filter", "map", "flatMap", "slice", "sort", "toSorted",
                                                             "reverse", "toReversed", "flat", "entries", "values", "keys"};
    n = unwrap(n);
    if (depth > 16 || ts_node_is_null(n)) return {};
    if (is(n, "identifier")) return text(n);
    if (is(n, "binary_expression")) {  // `rows ?? []`, `row?.items || []`
        const auto op = node_text(field(n, "operator"), src_);
        return (op == "??" || op == "||") && is(unwrap(field(n, "right")), "array") ? iterable_path(field(n, "left"), depth + 1)
                                                                                   : std::string();
    }
    if (is(n, "member_expression")) {
        TSNode prop = field(n, "property");
        if (!is(prop, "property_identifier")) return {};
        const std::string object = iterable_path(field(n, "object"), depth + 1);
        return object.empty() ? object : object + "." + text(prop);
    }
    if (!is(n, "call_expression")) return {};
    TSNode callee = field(n, "function");
    const auto args = named_children(field(n, "arguments"));
    if (!is(callee, "member_expression")) return {};
    const std::string callee_text = text(callee);
    if ((callee_text == "Object.values" || callee_text == "Object.entries" || callee_text == "Object.keys" ||
         callee_text == "Array.from") &&
        !args.empty())
        return iterable_path(args[0], depth + 1);
    if (kSameElements.count(node_text(field(callee, "property"), src_))) return iterable_path(field(callee, "object"), depth + 1);
    return {};
}

// The variable a query site's awaited result is bound to: `const rows = await q`, `const [row] =
// await q`, `const { rows } = await pool.query(...)`, `rows = await q`.
void Collector::bind_result(TsSite& site) const {
    for (size_t up = 1; up < 8; ++up) {
        TSNode p = parent_node(up);
        if (ts_node_is_null(p)) return;
        const auto t = node_type(p);
        if (t == "await_expression" || t == "parenthesized_expression" || t == "as_expression" ||
            t == "non_null_expression" || t == "satisfies_expression")
            continue;
        if (t == "variable_declarator") {
            TSNode name = field(p, "name");
            if (is(name, "identifier")) {
                site.result = text(name);
            } else if (is(name, "array_pattern")) {
                const auto kids = named_children(name);
                if (kids.size() == 1 && is(kids[0], "identifier")) {
                    site.result = text(kids[0]);
                    site.result_first_only = true;
                }
            } else if (is(name, "object_pattern")) {
                for (TSNode k : named_children(name)) {
                    if (is(k, "shorthand_property_identifier_pattern") && node_text(k, src_) == "rows") site.result = "rows";
                    if (is(k, "pair_pattern") && node_text(field(k, "key"), src_) == "rows" && is(field(k, "value"), "identifier"))
                        site.result = text(field(k, "value"));
                }
            }
        } else if (t == "assignment_expression" && is(field(p, "left"), "identifier")) {
            site.result = text(field(p, "left"));
        }
        return;
    }
}

namespace {

// Follows the uses of a query's result through its function: which fields are read, or whether the
// rows leave (returned, passed to a call, spread, stored). Bounded in nodes and in depth.
class RowUseScan {
public:
    explicit RowUseScan(const std::string& src) : src_(src) {}
    std::set<std::string> fields;
    bool whole = false;
    // A field read whose value is more than a yes/no (`count > 0`, `!row.n`, `Math.min(n, 1)` are
    // only tests: the query could be an EXISTS).
    bool value_read = false;

    // Every use of `name` inside `scope` that starts at or after `after`.
    void scan(TSNode scope, const std::string& name, uint32_t after, bool list, int depth) {
        // A null scope: tree-sitter's parent links can end before the root (seen on a template
        // literal nested in a substitution); the uses are unknown.
        if (whole || depth > kMaxDepth || ts_node_is_null(scope)) return (void)(whole = true);
        std::vector<TSNode> stack{scope};
        while (!stack.empty() && !whole) {
            TSNode n = stack.back();
            stack.pop_back();
            if (++visited_ > kMaxNodes) return (void)(whole = true);
            if (ts_node_end_byte(n) <= after) continue;
            const auto t = node_type(n);
            if ((t == "identifier" || t == "shorthand_property_identifier") && ts_node_start_byte(n) >= after &&
                node_text(n, src_) == name) {
                if (t == "shorthand_property_identifier") whole = true;  // `{ row }`: the row is passed on
                else use(n, list, depth);
                continue;
            }
            for (uint32_t i = ts_node_named_child_count(n); i-- > 0;) stack.push_back(ts_node_named_child(n, i));
        }
    }

private:
    static constexpr int kMaxDepth = 4;
    static constexpr size_t kMaxNodes = 200000;

    // Whether the value of `n` (a field read) is only tested: compared with 0 or 1, negated, a
    // condition, `Boolean(n)`, `Math.min(n, 1)`; through `(...)`, `!`, `|| 0`, `?? 0` and `Number()`.
    bool only_tested(TSNode n) const {
        for (int up = 0; up < 6; ++up) {
            TSNode p = ts_node_parent(n);
            const auto t = node_type(p);
            auto literal = [&](TSNode k) {
                k = unwrap(k);
                const auto v = node_text(k, src_);
                return is(k, "number") && (v == "0" || v == "1");
            };
            if (t == "parenthesized_expression" || t == "non_null_expression" || t == "as_expression") {
                if (is(ts_node_parent(p), "if_statement") || is(ts_node_parent(p), "while_statement")) return true;
                n = p;
                continue;
            }
            if (t == "unary_expression") return node_text(field(p, "operator"), src_) == "!";
            if (t == "if_statement" || t == "ternary_expression") return same(field(p, "condition"), n);
            if (t == "binary_expression") {
                const std::string op(node_text(field(p, "operator"), src_));
                TSNode other = same(field(p, "left"), n) ? field(p, "right") : field(p, "left");
                if ((op == "||" || op == "??") && same(field(p, "left"), n) && literal(other)) {
                    n = p;
                    continue;
                }
                static const std::set<std::string_view> kCompare = {">", ">=", "<", "<=", "===", "!==", "==", "!="};
                return kCompare.count(op) && literal(other);
            }
            if (t == "arguments") {
                TSNode call = ts_node_parent(p);
                const std::string callee(node_text(field(call, "function"), src_));
                const auto args = named_children(p);
                if (callee == "Number" && args.size() == 1) {
                    n = call;
                    continue;
                }
                if (callee == "Boolean" && args.size() == 1) return true;
                return callee == "Math.min" && args.size() == 2 && std::any_of(args.begin(), args.end(), literal);
            }
            return false;
        }
        return false;
    }
    void pattern_fields(TSNode pattern) {
        for (TSNode k : named_children(pattern)) {
            if (is(k, "shorthand_property_identifier_pattern")) fields.insert(std::string(node_text(k, src_)));
            else if (is(k, "pair_pattern")) fields.insert(std::string(node_text(field(k, "key"), src_)));
            else if (is(k, "object_assignment_pattern")) fields.insert(std::string(node_text(field(k, "left"), src_)));
            else whole = true;  // `...rest`
        }
    }
    // A binding of one row: an identifier followed in `body`, or a destructuring pattern.
    void bind_row(TSNode pattern, TSNode body, uint32_t after, int depth) {
        pattern = unwrap(pattern);
        if (is(pattern, "identifier")) scan(body, std::string(node_text(pattern, src_)), after, false, depth + 1);
        else if (is(pattern, "object_pattern")) pattern_fields(pattern);
        else whole = true;
    }
    // `rows.map((r) => ...)`: the callback's first parameter is one row.
    void callback_row(TSNode call, int depth) {
        const auto args = call_args(field(call, "arguments"));
        TSNode fn = args.empty() ? TSNode{} : args[0];
        if (!is(fn, "arrow_function") && !is(fn, "function_expression") && !is(fn, "function")) return (void)(whole = true);
        TSNode single = field(fn, "parameter");
        TSNode params = field(fn, "parameters");
        TSNode first = single;
        if (ts_node_is_null(first)) {
            const auto ps = named_children(params);
            if (ps.empty()) return;  // the rows are not read
            first = field(ps[0], "pattern");
        }
        bind_row(first, field(fn, "body"), 0, depth);
    }
    void use(TSNode ref, bool list, int depth) {
        TSNode p = ts_node_parent(ref);
        const auto t = node_type(p);
        if (t == "non_null_expression" || t == "as_expression" || t == "satisfies_expression" ||
            (t == "parenthesized_expression" && !is(ts_node_parent(p), "if_statement") && !is(ts_node_parent(p), "while_statement")))
            return use(p, list, depth);
        if (t == "member_expression" && same(field(p, "object"), ref)) {
            const std::string prop(node_text(field(p, "property"), src_));
            if (!list) {
                if (!only_tested(p)) value_read = true;
                return (void)fields.insert(prop);
            }
            if (prop == "length") return;
            if (prop == "rows") return use(p, true, depth);  // pg: `result.rows`
            static const std::set<std::string_view> kPerRow = {"map", "forEach", "flatMap", "some", "every", "findIndex"};
            TSNode call = ts_node_parent(p);
            if (kPerRow.count(prop) && is(call, "call_expression") && same(field(call, "function"), p)) return callback_row(call, depth);
            whole = true;  // filter/find/sort/... hand rows on
            return;
        }
        if (t == "subscript_expression" && same(field(p, "object"), ref)) return list ? use(p, false, depth) : (void)(whole = true);
        if (t == "variable_declarator" && same(field(p, "value"), ref)) {
            TSNode name = field(p, "name");
            if (is(name, "identifier")) return scan(enclosing_function(p), std::string(node_text(name, src_)), ts_node_end_byte(p), list, depth + 1);
            if (!list && is(name, "object_pattern")) return value_read = true, pattern_fields(name);
            if (list && is(name, "array_pattern")) {
                const auto kids = named_children(name);
                if (kids.size() == 1) return bind_row(kids[0], enclosing_function(p), ts_node_end_byte(p), depth);
            }
            whole = true;
            return;
        }
        if (t == "for_in_statement" && same(field(p, "right"), ref) && list) {
            TSNode left = field(p, "left");
            return bind_row(left, field(p, "body"), 0, depth);
        }
        if (t == "unary_expression" || (t == "parenthesized_expression")) return;  // `!row`, `if (row)`: existence
        if (t == "binary_expression") {
            const std::string op(node_text(field(p, "operator"), src_));
            if (op == "===" || op == "!==" || op == "==" || op == "!=") return;
            if (op == "&&" && same(field(p, "left"), ref)) return;
        }
        whole = true;
    }

    const std::string& src_;
    size_t visited_ = 0;
};

}  // namespace

// How the function uses the rows a query site returns (core/query.h RowUse).
void Collector::row_use(TsSite& site) const {
    if (site.result.empty()) {
        // `return db.select()...` / `return await ...` / `() => db.select()...`: the rows go to the caller.
        TSNode child = site.node;
        for (size_t up = 1; up < 8; ++up) {
            TSNode p = parent_node(up);
            if (ts_node_is_null(p)) return;
            const auto t = node_type(p);
            if (t == "await_expression" || t == "parenthesized_expression" || t == "as_expression" || t == "non_null_expression" ||
                t == "satisfies_expression") {
                child = p;
                continue;
            }
            if (t == "return_statement" || (t == "arrow_function" && same(field(p, "body"), child))) site.row_use = RowUse::Whole;
            return;
        }
        return;
    }
    RowUseScan scan(src_);
    scan.scan(enclosing_function_of(site.node), site.result, ts_node_end_byte(site.node), !site.result_first_only, 0);
    if (scan.whole) site.row_use = RowUse::Whole;
    else if (!scan.fields.empty()) {
        site.row_use = RowUse::Fields;
        site.row_fields.assign(scan.fields.begin(), scan.fields.end());
        site.row_fields_tested_only = !scan.value_read;
    }
}

// Whether the text of `n` names a variable the loop binds per iteration (unknown bindings count as
// yes: a `while` loop's state changes in ways a name list cannot show).
bool Collector::mentions_loop_vars(TSNode n, int loop) const {
    const auto& vars = out_.loops[loop].vars;
    if (vars.empty()) return true;
    // Identifiers only: property keys and member names (`{ id: t.id }`) are not variables.
    std::vector<TSNode> pending{n};
    for (size_t guard = 0; !pending.empty() && guard < 4096; ++guard) {
        TSNode k = pending.back();
        pending.pop_back();
        const auto t = node_type(k);
        if (t == "identifier" || t == "shorthand_property_identifier") {
            const std::string_view word = node_text(k, src_);
            for (const auto& v : vars)
                if (word == v) return true;
            continue;
        }
        for (TSNode c : named_children(k)) pending.push_back(c);
        if (guard + 1 == 4096) return true;  // too large to tell: assume it does
    }
    return false;
}

// An await inside a loop on something that is not the database (HTTP, exec, queues, storage):
// each iteration is a per-item workflow, and its queries are one step of it.
void Collector::await_expression(TSNode n) {
    const int loop = current_loop();
    const auto kids = named_children(n);
    if (kids.empty()) return;
    TSNode e = unwrap(kids[0]);
    if (!is(e, "call_expression")) return;
    TSNode callee = field(e, "function");
    std::string name(is(callee, "member_expression") ? node_text(field(callee, "property"), src_) : node_text(callee, src_));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* io : kIoCallees)
        if (name.find(io) != std::string::npos) {
            if (loop >= 0) out_.loops[loop].io_bound = true;
            out_.functions[current_function()].awaits_io = true;
            return;
        }
}

// Identifiers a pattern or parameter list binds: `const { id, items: [first] } of`, `(row, i) =>`.
std::vector<std::string> Collector::bound_names(TSNode n) const {
    std::vector<std::string> out;
    if (ts_node_is_null(n)) return out;
    std::vector<TSNode> pending{n};
    for (size_t guard = 0; !pending.empty() && guard < 256; ++guard) {
        TSNode k = pending.back();
        pending.pop_back();
        const auto t = node_type(k);
        if (t == "identifier" || t == "shorthand_property_identifier_pattern") {
            out.push_back(text(k));
            continue;
        }
        if (t == "statement_block" || t == "type_annotation" || t == "number" || t == "string") continue;
        if (t == "arrow_function" || t == "function_expression" || t == "function") {
            TSNode single = field(k, "parameter");
            pending.push_back(ts_node_is_null(single) ? field(k, "parameters") : single);
            continue;
        }
        if (t == "variable_declarator") {
            pending.push_back(field(k, "name"));
            continue;
        }
        if (t == "pair_pattern") {
            pending.push_back(field(k, "value"));
            continue;
        }
        for (TSNode c : named_children(k)) pending.push_back(c);
    }
    return out;
}

// `i < MAX_ATTEMPTS`, `page <= MAX_PAGES`: a loop bounded by a named constant (UPPER_CASE).
bool Collector::constant_bound(TSNode cond) const {
    if (!is(cond, "binary_expression")) return false;
    const std::string op(node_text(field(cond, "operator"), src_));
    TSNode bound = field(cond, "right");
    if (op == ">" || op == ">=") bound = field(cond, "left");
    if (!is(bound, "identifier")) return false;
    const std::string name = text(bound);
    bool upper = name.size() > 1 && std::isupper(static_cast<unsigned char>(name[0]));
    for (char c : name) upper = upper && (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
    return upper;
}

// `Object.values(PLANS)`, `Object.entries(CONFIG)`, `for (const k in LIMITS)`: the keys of a
// constant object, a fixed set.
bool Collector::constant_object(TSNode n) const {
    n = unwrap(n);
    if (is(n, "call_expression")) {
        const std::string callee = text(field(n, "function"));
        if (callee != "Object.values" && callee != "Object.entries" && callee != "Object.keys") return false;
        const auto a = named_children(field(n, "arguments"));
        if (a.empty()) return false;
        n = unwrap(a[0]);
    }
    if (!is(n, "identifier")) return false;
    const std::string name = text(n);
    bool upper = name.size() > 1;
    for (char c : name) upper = upper && (std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
    return upper;
}

// `chunk(rows, 500)`, `batches`, `_.chunk(...)`: an iterable of batches.
bool Collector::chunk_iterable(TSNode n) const {
    n = unwrap(n);
    // `chunk(rows, 500)`, `_.chunk(...)`, `splitEvery(...)`: any call named for batching; a name only
    // when it is plural (`batches`, `userChunks`): iterating `batch` walks the rows of one batch.
    const bool call = is(n, "call_expression");
    if (call) {
        TSNode callee = field(n, "function");
        n = is(callee, "member_expression") ? field(callee, "property") : callee;
    }
    if (!is(n, "identifier") && !is(n, "property_identifier")) return false;
    std::string name = text(n);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!call) return name.find("chunks") != std::string::npos || name.find("batches") != std::string::npos;
    for (const auto& k : kChunkNames) {
        std::string key(k);
        for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name.find(key) != std::string::npos) return true;
    }
    return false;
}

void Collector::mark_exit(bool is_return) {
    for (size_t i = loops_.size(); i > barriers_.back(); --i) {
        const int l = loops_[i - 1];
        if (l == kFunctionBoundary) return;
        if (l == kSwitch) {
            if (!is_return) return;  // `break` leaves the switch
            continue;
        }
        if (!out_.loops[l].statement) return;
        out_.loops[l].exits_early = true;
        if (!is_return) return;
    }
}

// A module of another database engine's driver: MySQL, SQLite, SQL Server, Oracle, or Drizzle's
// drivers for them.
bool other_engine_module(const std::string& m) {
    static const std::set<std::string> kOther = {"mysql", "mysql2", "mysql2/promise", "@planetscale/database", "better-sqlite3",
                                                 "sqlite3", "sqlite", "bun:sqlite", "node:sqlite", "@libsql/client", "mssql",
                                                 "tedious", "oracledb"};
    const bool drizzle = m.rfind("drizzle-orm/", 0) == 0;
    auto has = [&](const char* w) { return m.find(w) != std::string::npos; };
    return kOther.count(m) > 0 ||
           (drizzle && (has("mysql") || has("sqlite") || has("libsql") || has("d1") || has("singlestore") || has("planetscale")));
}

// The file imports another engine's driver and no PostgreSQL one: its SQL is that engine's.
bool other_engine_file(const std::map<std::string, TsImport>& imports) {
    static const std::set<std::string> kPostgres = {"pg", "pg-pool", "postgres", "@neondatabase/serverless", "@vercel/postgres",
                                                    "pg-promise", "@electric-sql/pglite", "kysely", "slonik"};
    bool other = false;
    for (const auto& [local, imp] : imports) {
        const std::string& m = imp.module;
        const bool drizzle = m.rfind("drizzle-orm/", 0) == 0;
        if (kPostgres.count(m) || (drizzle && (m.find("pg") != std::string::npos || m.find("postgres") != std::string::npos ||
                                               m.find("neon") != std::string::npos)))
            return false;
        other = other || other_engine_module(m);
    }
    return other;
}

// A `.query("...")` call that goes to another database engine: its receiver was made by a MySQL,
// SQLite or SQL Server driver, or the file imports such a driver and no PostgreSQL one.
bool Collector::other_engine_client(TSNode call) const {
    if (std::none_of(out_.imports.begin(), out_.imports.end(), [&](const auto& i) { return other_engine_module(i.second.module); }))
        return false;
    // The receiver made by another engine's driver: `const pool = createPool(...)` (mysql2), looked
    // up in the functions around the call.
    TSNode callee = field(call, "function");
    TSNode receiver = is(callee, "member_expression") ? unwrap(field(callee, "object")) : TSNode{};
    if (is(receiver, "identifier")) {
        const std::string name = text(receiver);
        TSNode fn = enclosing_function_of(call);
        for (int up = 0; up < 8 && !ts_node_is_null(fn); ++up) {
            TSNode v = declared_value(fn, name, ts_node_start_byte(call));
            if (!ts_node_is_null(v)) {
                const bool made = is(v, "call_expression") || is(v, "new_expression");
                TSNode maker = made ? unwrap(field(v, is(v, "new_expression") ? "constructor" : "function")) : TSNode{};
                if (is(maker, "member_expression")) maker = unwrap(field(maker, "object"));
                if (is(maker, "identifier"))
                    if (auto imp = out_.imports.find(text(maker)); imp != out_.imports.end()) return other_engine_module(imp->second.module);
                break;
            }
            fn = enclosing_function(ts_node_parent(fn));
        }
    }
    return other_engine_file(out_.imports);
}

// A string or template literal whose text starts like a whole statement (`\`ALTER TABLE ...\``,
// `'CREATE INDEX ...'`, `INSERT INTO`), after its quote and any blanks: not a fragment such as
// `'DROP NOT NULL'` handed to a helper that builds the statement.
static bool statement_literal(std::string_view literal) {
    const auto words = leading_words(literal, 2);
    const std::string first = words.empty() ? "" : words[0], second = words.size() < 2 ? "" : words[1];
    static const std::set<std::string> kObjects = {"TABLE", "INDEX", "UNIQUE", "TYPE", "VIEW", "MATERIALIZED", "SEQUENCE", "FUNCTION",
                                                   "OR", "EXTENSION", "SCHEMA", "TRIGGER", "POLICY", "DOMAIN", "PROCEDURE", "ON"};
    if (first == "CREATE" || first == "ALTER" || first == "DROP" || first == "COMMENT") return kObjects.count(second) > 0;
    return (first == "INSERT" && second == "INTO") || (first == "DELETE" && second == "FROM");
}

void Collector::call(TSNode n) {
    const int fn = current_function(), loop = current_loop();
    TSNode callee = field(n, "function");
    TSNode args = field(n, "arguments");
    if (is(args, "template_string")) {
        // A fragment inside another template's `${...}` (`${admin ? sql\`x as y,\` : sql\`\`}`)
        // is part of that statement, lowered with it: not a statement of its own.
        bool fragment = false;
        for (size_t up = 1; !fragment; ++up) {  // the call is being entered: its ancestors are the frames
            TSNode p = parent_node(up);
            if (ts_node_is_null(p)) break;
            if (is(p, "template_substitution")) fragment = true;
            if (is(p, "statement_block") || is(p, "program") || is(p, "arrow_function")) break;
        }
        if (!fragment && (is(callee, "identifier") || is(callee, "member_expression"))) add_site(TsSiteKind::Tagged, n, fn, loop);
        return;
    }
    if (is(callee, "identifier") || is(callee, "member_expression")) add_site(TsSiteKind::Call, n, fn, loop);
    if (migration_file_ && is(callee, "identifier")) {
        // `execute(connection, \`CREATE TABLE ...\`)`: a statement literal handed to a helper.
        const auto arg_list = named_children(args);
        for (size_t i = 0; i < arg_list.size() && i < 3; ++i) {
            TSNode a = unwrap(arg_list[i]);
            if (!(is(a, "string") || is(a, "template_string")) || !statement_literal(text(a))) continue;
            add_site(TsSiteKind::MigrationSql, n, fn, loop);
            out_.sites.back().sql_arg = static_cast<int>(i);
            break;
        }
    }
    if (is(callee, "member_expression")) {
        const auto prop = node_text(field(callee, "property"), src_);
        const auto arg_list = named_children(args);
        if (prop == "end" || prop == "release" || prop == "close") out_.functions[fn].closes_client = true;
        // In a migration written as code, knex's `knex.raw('...')` / `knex.schema.raw('...')` and
        // MikroORM's `this.addSql('...')` run SQL too.
        const bool migration_sql = (prop == "raw" || prop == "addSql") && migration_file_;
        if ((prop == "query" || migration_sql) && !arg_list.empty() && !other_engine_client(n)) {
            TSNode a = unwrap(arg_list[0]);
            if (is(a, "string") || is(a, "template_string") || is(a, "object"))
                add_site(TsSiteKind::RawCall, n, fn, loop);
        }
        if (kIterationMethods.count(prop) && !arg_list.empty()) {
            TSNode a = unwrap(arg_list[0]);
            if (is(a, "identifier") || is(a, "member_expression")) {
                const int l = add_loop("." + std::string(prop) + " callback", callee,
                                       small_literal_array(field(callee, "object")), false, field(callee, "object"));
                add_site(TsSiteKind::CallbackRef, a, fn, l);
            }
        }
    }
    // The outermost call of a chain: its parent is not `.x` on it being called.
    TSNode p = parent_node(1), gp = parent_node(2);
    if (is(p, "member_expression") && is(gp, "call_expression") && same(field(gp, "function"), p)) return;
    static const std::set<std::string_view> kQueryLinks = {"select", "selectDistinct", "selectDistinctOn", "insert",
                                                           "update", "delete", "execute", "findMany", "findFirst"};
    for (TSNode cur = n; !ts_node_is_null(cur);) {
        cur = unwrap(cur);
        TSNode member{};
        if (is(cur, "call_expression")) {
            member = field(cur, "function");
        } else if (is(cur, "member_expression")) {
            member = cur;
        } else {
            break;
        }
        if (!is(member, "member_expression")) break;
        if (kQueryLinks.count(node_text(field(member, "property"), src_))) {
            add_site(TsSiteKind::Chain, n, fn, loop);
            chain_facts(out_.sites.back());
            break;
        }
        cur = field(member, "object");
    }
}

void Collector::top_level_declaration(TSNode decl) {
    const auto t = node_type(decl);
    if (t == "lexical_declaration" || t == "variable_declaration") {
        for (TSNode d : named_children(decl)) {
            if (!is(d, "variable_declarator")) continue;
            const std::string name = text(field(d, "name"));
            if (name.empty() || !is(field(d, "name"), "identifier")) continue;
            out_.values[name] = unwrap(field(d, "value"));
            if (is(decl, "lexical_declaration") && text(decl).rfind("const", 0) == 0) constants(name, unwrap(field(d, "value")));
            if (TSNode v = unwrap(field(d, "value")); is(v, "new_expression"))
                if (TSNode ctor = unwrap(field(v, "constructor")); is(ctor, "identifier")) out_.instances[name] = text(ctor);
            if (TSNode type = field(d, "type"); !ts_node_is_null(type)) out_.value_types[name] = annotation(type, src_);
        }
    }
}

// `const TABLE = 'jobs'`, `const T = { jobs: 'jobs' }`: the text a name or a property holds.
void Collector::constants(const std::string& name, TSNode value) {
    std::string v;
    if (is(value, "number")) {
        out_.constants[name] = text(value);
    } else if (string_value(value, src_, v)) {
        out_.constants[name] = v;
    } else if (is(value, "object")) {
        for (TSNode pair : named_children(value)) {
            if (!is(pair, "pair")) continue;
            TSNode key = field(pair, "key"), val = unwrap(field(pair, "value"));
            std::string k;
            if (is(key, "property_identifier")) k = text(key);
            else if (!string_value(key, src_, k)) continue;
            if (is(val, "number")) out_.constants[name + "." + k] = text(val);
            else if (string_value(val, src_, v)) out_.constants[name + "." + k] = v;
        }
    }
}

void Collector::import_statement(TSNode n) {
    std::string module;
    if (!string_value(field(n, "source"), src_, module)) return;
    for (TSNode k : named_children(n)) {
        if (!is(k, "import_clause")) continue;
        for (TSNode c : named_children(k)) {
            if (is(c, "identifier")) {
                out_.imports[text(c)] = {module, "default"};
            } else if (is(c, "namespace_import")) {
                for (TSNode id : named_children(c))
                    if (is(id, "identifier")) out_.imports[text(id)] = {module, "*"};
            } else if (is(c, "named_imports")) {
                for (TSNode spec : named_children(c)) {
                    if (!is(spec, "import_specifier")) continue;
                    const std::string name = text(field(spec, "name"));
                    TSNode alias = field(spec, "alias");
                    out_.imports[ts_node_is_null(alias) ? name : text(alias)] = {module, name};
                }
            }
        }
    }
}

void Collector::export_statement(TSNode n) {
    std::string module;
    const bool from = string_value(field(n, "source"), src_, module);
    TSNode decl = field(n, "declaration");
    if (!ts_node_is_null(decl)) {
        const auto t = node_type(decl);
        if (t == "lexical_declaration" || t == "variable_declaration") {
            for (TSNode d : named_children(decl))
                if (is(d, "variable_declarator")) {
                    const std::string name = text(field(d, "name"));
                    out_.exports[name] = {name, "", ""};
                }
        } else {
            const std::string name = text(field(decl, "name"));
            if (!name.empty()) out_.exports[name] = {name, "", ""};
        }
        return;
    }
    bool clause = false;
    for (TSNode k : named_children(n)) {
        if (is(k, "export_clause")) {
            clause = true;
            for (TSNode spec : named_children(k)) {
                if (!is(spec, "export_specifier")) continue;
                const std::string name = text(field(spec, "name"));
                TSNode alias = field(spec, "alias");
                const std::string exported = ts_node_is_null(alias) ? name : text(alias);
                out_.exports[exported] = from ? TsExport{"", module, name} : TsExport{name, "", ""};
            }
        } else if (is(k, "namespace_export")) {
            clause = true;
            for (TSNode id : named_children(k)) out_.exports[text(id)] = {"", module, "*"};
        }
    }
    if (!clause && from) {
        out_.star_exports.push_back(module);
        return;
    }
    TSNode value = field(n, "value");  // export default <expr>
    if (!ts_node_is_null(value)) {
        if (is(unwrap(value), "identifier")) out_.exports["default"] = {text(unwrap(value)), "", ""};
        else out_.values["default"] = unwrap(value), out_.exports["default"] = {"default", "", ""};
    } else if (!clause && !ts_node_is_null(decl)) {
        // handled above
    }
}

void Collector::enter(TSNode n, Frame& f) {
    const auto type = node_type(n);
    TSNode parent = parent_node(1);
    // Loop bodies (the iterable and the condition are evaluated outside the per-row work).
    if (!ts_node_is_null(parent)) {
        const auto pt = node_type(parent);
        if ((pt == "for_statement" || pt == "for_in_statement" || pt == "while_statement" || pt == "do_statement") &&
            same(field(parent, "body"), n))
            loop_body(parent, f);
    }
    if (type == "program") return;
    // A name declared inside a loop body holds per-iteration data (`const payload = parse(row)`):
    // a query that uses it varies with the loop like one that uses the element itself. (A loop
    // whose bindings are unknown, vars empty, already counts every query as varying.)
    if (type == "variable_declarator" && !barriers_.empty()) {
        const auto names = bound_names(field(n, "name"));
        for (size_t i = barriers_.back(); i < loops_.size(); ++i)
            if (loops_[i] >= 0 && !out_.loops[loops_[i]].vars.empty())
                out_.loops[loops_[i]].vars.insert(out_.loops[loops_[i]].vars.end(), names.begin(), names.end());
    }
    if (is(parent, "program") || (is(parent, "export_statement") && is(parent_node(2), "program")))
        top_level_declaration(n);
    if (type == "import_statement") return import_statement(n);
    if (type == "export_statement" && is(parent, "program")) export_statement(n);
    if (type == "class_declaration" || type == "class" || type == "abstract_class_declaration") {
        std::string name = text(field(n, "name"));
        if (name.empty() && is(parent, "variable_declarator")) name = text(field(parent, "name"));
        classes_.push_back(name.empty() ? "<class>" : name);
        out_.classes[classes_.back()];
        f.pushed_class = true;
        return;
    }
    if (type == "public_field_definition" && !classes_.empty()) {
        const std::string s = annotation(field(n, "type"), src_);
        const std::string name = text(field(n, "name"));
        if (!name.empty() && !s.empty()) out_.classes[classes_.back()].field_types[name] = s;
        return;
    }
    if (type == "function_declaration" || type == "generator_function_declaration" || type == "method_definition" ||
        type == "arrow_function" || type == "function_expression" || type == "function" ||
        type == "generator_function")
        return function_like(n, f);
    if (type == "switch_statement") {
        loops_.push_back(kSwitch);
        f.pushed_loops = 1;
        return;
    }
    if (type == "break_statement") return mark_exit(false);
    // `throw` is error handling, not a search that stops at the first hit: not an early exit.
    if (type == "return_statement") return mark_exit(true);
    if (type == "variable_declarator") dynamic_import(n);
    if (type == "await_expression") await_expression(n);
    if (type == "call_expression" || type == "new_expression") pool_site(n);
    if (type == "call_expression") return call(n);
}

namespace {

// The option names an options object sets, following spreads of this file's constants and
// single-argument wrappers (`withDefaults({...})`); false when some part cannot be seen.
bool option_names(TSNode obj, const std::map<std::string, TSNode>& values, const std::string& src,
                  std::vector<std::string>& out, const std::string& prefix, int depth) {
    obj = unwrap(obj);
    if (depth > 4) return false;
    if (is(obj, "identifier")) {
        auto v = values.find(std::string(node_text(obj, src)));
        return v != values.end() && option_names(v->second, values, src, out, prefix, depth + 1);
    }
    if (is(obj, "call_expression")) {
        const auto args = call_args(field(obj, "arguments"));
        return args.size() == 1 && option_names(args[0], values, src, out, prefix, depth + 1);
    }
    if (!is(obj, "object")) return false;
    bool known = true;
    for (TSNode p : named_children(obj)) {
        if (is(p, "spread_element")) {
            const auto k = named_children(p);
            known = !k.empty() && option_names(k[0], values, src, out, prefix, depth + 1) && known;
        } else if (is(p, "pair")) {
            std::string key(node_text(field(p, "key"), src));
            if (key.size() > 1 && (key[0] == '\'' || key[0] == '"')) key = key.substr(1, key.size() - 2);
            out.push_back(prefix + key);
            TSNode v = unwrap(field(p, "value"));
            if (key == "connection" && is(v, "object")) option_names(v, values, src, out, prefix + "connection.", depth + 1);
        } else if (is(p, "shorthand_property_identifier")) {
            out.push_back(prefix + std::string(node_text(p, src)));
        }
    }
    return known;
}

}  // namespace

// A query chain's locking clause and the row fields its `.set({...})` values read.
void Collector::chain_facts(TsSite& site) const {
    std::vector<ChainLink> links;
    flatten_chain(site.node, src_, links);
    for (const auto& l : links) {
        const auto args = call_args(l.args);
        if (l.name == "for" && !args.empty()) {
            std::string mode;
            site.locking = site.locking || (string_value(args[0], src_, mode) && (mode == "update" || mode == "no key update"));
        }
        // The variable whose row a member expression reads: `a` in `a.balance`, `rows` in
        // `rows[0].balance` / `rows[0]?.balance` / `rows[0]!.balance`; null otherwise.
        auto row_base = [&](TSNode member) {
            TSNode base = unwrap(field(member, "object"));
            for (int depth = 0; depth < 4 && is(base, "subscript_expression"); ++depth) base = unwrap(field(base, "object"));
            return is(base, "identifier") ? base : TSNode{};
        };
        auto member_refs = [&](TSNode root, const auto& emit) {
            std::vector<TSNode> pending{root};
            for (size_t guard = 0; !pending.empty() && guard < 512; ++guard) {
                TSNode k = pending.back();
                pending.pop_back();
                if (is(k, "member_expression") && !ts_node_is_null(row_base(k))) {
                    emit(text(row_base(k)) + "." + text(field(k, "property")));
                    continue;
                }
                for (TSNode c : named_children(k)) pending.push_back(c);
            }
        };
        TSNode fn = enclosing_function_of(site.node);
        // The row variables as the reads bound them (`lot.id` in a loop over `lots`: `lots.id`).
        if (l.name == "where" && !args.empty())
            member_refs(args[0], [&](const std::string& r) {
                const size_t dot = r.find('.');
                site.where_reads.push_back(row_binding(fn, r.substr(0, dot), ts_node_start_byte(site.node)) + r.substr(dot));
            });
        if (l.name != "set" || args.empty()) continue;
        // A value declared as the result of a call to a function of this file (`await
        // this.getBalance(id)`, `await getUsage(db, id)`): the function the written value comes from.
        auto returned_by_call = [&](const std::string& key, TSNode v) {
            if (!is(v, "call_expression")) return;
            const TsCallee callee = callee_of(field(v, "function"), src_);
            const std::string& cls = out_.functions[site.function].cls;
            if (callee.kind == TsCallee::Name) site.set_calls.emplace_back(key, callee.name);
            if (callee.kind == TsCallee::This && !cls.empty()) site.set_calls.emplace_back(key, cls + "." + callee.name);
        };
        // Only a value computed from the field counts (`a.balance - amount`, `[...a.tags, t]`,
        // `{ ...a.settings, x }`), not the field kept as a fallback (`s.name ?? current.name`).
        auto value_reads = [&](const std::string& key, TSNode value) {
            std::vector<std::pair<TSNode, bool>> pending{{value, false}};
            for (size_t guard = 0; !pending.empty() && guard < 512; ++guard) {
                auto [k, computed] = pending.back();
                pending.pop_back();
                if (is(k, "member_expression") && !ts_node_is_null(row_base(k))) {
                    if (computed) {
                        site.set_reads.emplace_back(key, row_binding(fn, text(row_base(k)), ts_node_start_byte(k)) + "." +
                                                             text(field(k, "property")));
                        // `const usage = await getUsage(id); ... usage.count + 1`: the row a function
                        // of this file returns.
                        returned_by_call(key, declared_value(fn, text(row_base(k)), ts_node_start_byte(k)));
                    }
                    continue;
                }
                bool here = computed || is(k, "spread_element");
                if (is(k, "binary_expression")) {
                    const std::string op(node_text(field(k, "operator"), src_));
                    here = here || op == "+" || op == "-" || op == "*" || op == "/" || op == "%";
                    if ((op == "+" || op == "-") && (is(unwrap(field(k, "left")), "number") || is(unwrap(field(k, "right")), "number")) &&
                        std::find(site.set_steps.begin(), site.set_steps.end(), key) == site.set_steps.end())
                        site.set_steps.push_back(key);
                    if (op == "??" || op == "||" || op == "&&") here = computed;
                }
                if (is(k, "ternary_expression")) here = computed;
                if (is(k, "identifier") && !ts_node_is_null(fn)) {
                    // A local computed from the row: `const kept = row.notes || []; ... [...kept, n]`,
                    // `const next = (rows[0]?.credits || 0) + amount; ... set({ credits: next })`.
                    TSNode v = declared_value(fn, text(k), ts_node_start_byte(k));
                    // ...or from what a function of this file returns: `await this.getBalance(id)`.
                    if (computed) returned_by_call(key, v);
                    if (!ts_node_is_null(v)) pending.emplace_back(v, computed);
                    continue;
                }
                for (TSNode c : named_children(k)) pending.emplace_back(c, here);
            }
        };
        auto object_reads = [&](TSNode obj) {
            for (TSNode p : named_children(obj))
                if (is(p, "pair")) value_reads(std::string(node_text(field(p, "key"), src_)), field(p, "value"));
        };
        TSNode arg = unwrap(args[0]);
        if (is(arg, "object")) {
            object_reads(arg);
        } else if (is(arg, "identifier") && !ts_node_is_null(fn)) {
            // `.set(patch)`: the object literal `patch` was declared with and the `patch.x = ...`
            // assignments before the write, in the same function.
            const std::string name = text(arg);
            const uint32_t before = ts_node_start_byte(site.node);
            std::vector<TSNode> pending{fn}, writes;
            for (size_t guard = 0; !pending.empty() && guard < 4096; ++guard) {
                TSNode k = pending.back();
                pending.pop_back();
                if (ts_node_start_byte(k) >= before) continue;
                if ((is(k, "variable_declarator") && is(field(k, "name"), "identifier") && text(field(k, "name")) == name &&
                     is(unwrap(field(k, "value")), "object")) ||
                    (is(k, "assignment_expression") && is(field(k, "left"), "member_expression") &&
                     is(field(field(k, "left"), "object"), "identifier") && text(field(field(k, "left"), "object")) == name))
                    writes.push_back(k);
                for (TSNode c : named_children(k)) pending.push_back(c);
            }
            std::sort(writes.begin(), writes.end(), [](TSNode a, TSNode b) { return ts_node_start_byte(a) < ts_node_start_byte(b); });
            for (TSNode k : writes) {
                if (is(k, "variable_declarator")) object_reads(unwrap(field(k, "value")));
                else value_reads(text(field(field(k, "left"), "property")), field(k, "right"));
            }
        }
    }
}

// The declarator that binds `name` in `fn` before `before` (`const name = v`, `const { name } = v`,
// `const { key: name } = v`); null if none.
TSNode Collector::declarator_of(TSNode fn, const std::string& name, uint32_t before) const {
    std::vector<TSNode> pending{fn};
    for (size_t guard = 0; !pending.empty() && guard < 4096; ++guard) {
        TSNode k = pending.back();
        pending.pop_back();
        if (ts_node_start_byte(k) >= before) continue;
        if (is(k, "variable_declarator")) {
            TSNode pattern = field(k, "name");
            bool binds = is(pattern, "identifier") && text(pattern) == name;
            if (is(pattern, "object_pattern"))
                for (TSNode p : named_children(pattern))
                    binds = binds || (is(p, "shorthand_property_identifier_pattern") && text(p) == name) ||
                            (is(p, "pair_pattern") && is(field(p, "value"), "identifier") && text(field(p, "value")) == name);
            if (binds) return k;
        }
        for (TSNode c : named_children(k)) pending.push_back(c);
    }
    return TSNode{};
}

// The value `name` is declared with (`const name = value`) in `fn` before `before`; null if none.
TSNode Collector::declared_value(TSNode fn, const std::string& name, uint32_t before) const {
    TSNode d = declarator_of(fn, name, before);
    return !ts_node_is_null(d) && is(field(d, "name"), "identifier") ? unwrap(field(d, "value")) : TSNode{};
}

// The variable a row was bound to by the query that read it: `message` in `const { message } =
// rows[0]` or `const message = rows[0].message` is a part of `rows`' row. Follows up to four such
// steps back, declarations before `before` in `fn` only; a name bound otherwise is returned as is.
std::string Collector::row_binding(TSNode fn, std::string name, uint32_t before) const {
    if (ts_node_is_null(fn)) return name;
    for (int step = 0; step < 4; ++step) {
        TSNode d = declarator_of(fn, name, before);
        if (ts_node_is_null(d)) {
            // `for (const lot of lots) { ... lot.remaining ... }`: a row of `lots`.
            const std::string list = loop_row_source(fn, name, before);
            return list.empty() ? name : list;
        }
        // The base variable of `rows[0]`, `rows[0].message`, `result.rows[0]`, `rows`, and of a
        // row looked up in the rows: `byUser.get(id)`, `rows.find((r) => r.id === id)`, with
        // `const byUser = new Map(rows.map((r) => [r.userId, r]))`.
        TSNode v = unwrap(field(d, "value"));
        for (int depth = 0; depth < 6; ++depth) {
            if (is(v, "subscript_expression") || is(v, "member_expression")) {
                v = unwrap(field(v, "object"));
            } else if (is(v, "call_expression") && is(unwrap(field(v, "function")), "member_expression")) {
                TSNode callee = unwrap(field(v, "function"));
                const std::string method = text(field(callee, "property"));
                if (method != "get" && method != "find" && method != "findLast" && method != "at") break;
                v = unwrap(field(callee, "object"));
            } else if (is(v, "new_expression") && text(field(v, "constructor")) == "Map") {
                const auto args = call_args(field(v, "arguments"));
                TSNode list = args.empty() ? TSNode{} : unwrap(args[0]);
                TSNode mapper = is(list, "call_expression") ? unwrap(field(list, "function")) : TSNode{};
                if (!is(mapper, "member_expression") || text(field(mapper, "property")) != "map") break;
                v = unwrap(field(mapper, "object"));
            } else {
                break;
            }
        }
        if (!is(v, "identifier") || text(v) == name) return name;
        name = text(v);
    }
    return name;
}

// The list a `for (const name of list)` loop of `fn` around `at` iterates, when `list` is a plain
// variable; "" otherwise.
std::string Collector::loop_row_source(TSNode fn, const std::string& name, uint32_t at) const {
    std::vector<TSNode> pending{fn};
    for (size_t guard = 0; !pending.empty() && guard < 4096; ++guard) {
        TSNode k = pending.back();
        pending.pop_back();
        if (ts_node_start_byte(k) > at || ts_node_end_byte(k) < at) continue;  // only what encloses `at`
        if (is(k, "for_in_statement") && text(field(k, "operator")) == "of") {
            TSNode left = unwrap(field(k, "left")), right = unwrap(field(k, "right"));
            if (is(left, "identifier") && text(left) == name && is(right, "identifier")) return text(right);
        }
        for (TSNode c : named_children(k)) pending.push_back(c);
    }
    return "";
}

// `new Pool({...})`, `new pg.Pool(...)`, `postgres(url, {...})`, `neon(url)`: where the code creates
// database connections, and how.
void Collector::pool_site(TSNode n) {
    const bool is_new = is(n, "new_expression");
    TSNode callee = unwrap(field(n, is_new ? "constructor" : "function"));
    std::string local, member;
    if (is(callee, "identifier")) local = text(callee);
    else if (is(callee, "member_expression") && is(unwrap(field(callee, "object")), "identifier"))
        local = text(unwrap(field(callee, "object"))), member = text(field(callee, "property"));
    auto imp = out_.imports.find(local);
    if (imp == out_.imports.end()) return;
    const std::string& module = imp->second.module;
    const std::string name = member.empty() ? imp->second.imported : member;
    TsPoolSite site;
    if ((module == "pg" || module == "pg-pool") && is_new && (name == "Pool" || name == "Client" || name == "default"))
        site.driver = "pg", site.api = "new " + std::string(name == "default" ? "Pool" : name);
    else if (module == "postgres" && !is_new && member.empty())
        site.driver = "postgres.js", site.api = "postgres()";
    else if (module == "@neondatabase/serverless" && ((is_new && name == "Pool") || (!is_new && name == "neon")))
        site.driver = "neon", site.api = is_new ? "new Pool" : "neon()";
    else
        return;
    site.offset = ts_node_start_byte(n);
    site.function = current_function();
    site.text = text(n).substr(0, 2000);
    const auto args = call_args(field(n, "arguments"));
    // The options: postgres.js takes (url, options) or (options); pg and Neon one object.
    TSNode options{};
    if (site.driver == "postgres.js" && args.size() > 1) options = args[1];
    else if (!args.empty() && !is(args[0], "string") && !is(args[0], "template_string")) options = args[0];
    if (!ts_node_is_null(options)) site.options_known = option_names(options, out_.values, src_, site.options, "", 0);
    // What happens to it in the function that creates it: closed there (a one-shot client), or
    // stored outside it (a singleton kept in module state, a Map, globalThis).
    if (site.function != 0) {
        TSNode fn = enclosing_function_of(n);
        const std::string body(node_text(fn, src_));
        site.closed = body.find(".end(") != std::string::npos || body.find(".release(") != std::string::npos;
        // A class's constructor (a NestJS/DI service made once): the object keeps what it makes for
        // its lifetime, whether in a field or through a wrapper handed to `super(...)`.
        const std::string& fname = out_.functions[site.function].name;
        site.cached = fname.size() > 12 && fname.compare(fname.size() - 12, 12, ".constructor") == 0;
        for (const char* store : {".set(", "globalThis", "global.", "cache", "??=", "||="})
            site.cached = site.cached || body.find(store) != std::string::npos;
        // A dedicated LISTEN connection (`client.query('LISTEN events')`, `client.on('notification',
        // ...)`) stays open on purpose for as long as the process listens: kept, not leaked.
        for (const char* listen : {"'LISTEN ", "\"LISTEN ", "`LISTEN ", "'notification'", "\"notification\""})
            site.cached = site.cached || body.find(listen) != std::string::npos;
        for (size_t up = 1; up < 8 && !site.cached && !site.returned; ++up) {
            TSNode p = parent_node(up);
            if (ts_node_is_null(p)) break;
            if (is(p, "assignment_expression")) {
                TSNode left = field(p, "left");
                site.cached = is(left, "member_expression") || is(left, "identifier");  // a module-level variable or a field
            }
            // A factory: the client goes back to the caller, who owns (and closes) it.
            if (is(p, "return_statement") || (is(p, "arrow_function") && !is(field(p, "body"), "statement_block"))) site.returned = true;
            if (is(p, "variable_declarator")) {
                auto returned = [&](const std::string& var) {
                    return !var.empty() && (body.find("return " + var + "\n") != std::string::npos ||
                                            body.find("return " + var + ";") != std::string::npos ||
                                            body.find("return " + var + " ") != std::string::npos ||
                                            body.find("return { " + var) != std::string::npos);
                };
                const std::string var = text(field(p, "name"));
                site.returned = returned(var);
                // Returned wrapped: `const db = drizzle(conn, { schema }); return db;` or `return drizzle(conn)`.
                std::vector<TSNode> pending{fn};
                for (size_t guard = 0; !var.empty() && !site.cached && !site.returned && !site.closed && !pending.empty() && guard < 2048; ++guard) {
                    TSNode k = pending.back();
                    pending.pop_back();
                    if (is(k, "call_expression")) {
                        bool wraps = false, handed = false;
                        for (TSNode a : call_args(field(k, "arguments"))) {
                            wraps = wraps || (is(a, "identifier") && text(a) == var);
                            // `createExecutor({ pool, ... })`: an object that now owns the client (and
                            // ends it: `executor.cleanup()`), not a query wrapper like drizzle(pool).
                            if (is(a, "object"))
                                for (TSNode prop : named_children(a))
                                    handed = handed || (is(prop, "shorthand_property_identifier") && text(prop) == var) ||
                                             (is(prop, "pair") && is(unwrap(field(prop, "value")), "identifier") &&
                                              text(unwrap(field(prop, "value"))) == var);
                        }
                        if (handed) site.closed = true;
                        if (wraps) {
                            TSNode up = ts_node_parent(k);
                            while (is(up, "await_expression") || is(up, "as_expression") || is(up, "satisfies_expression") ||
                                   is(up, "non_null_expression") || is(up, "parenthesized_expression"))
                                up = ts_node_parent(up);
                            if (is(up, "return_statement") || (is(up, "arrow_function") && !is(field(up, "body"), "statement_block")))
                                site.returned = true;
                            else if (is(up, "variable_declarator") && is(field(up, "name"), "identifier"))
                                site.returned = returned(text(field(up, "name")));
                            // `shared = drizzle(pool)`: the wrapper goes into a field or a variable
                            // declared outside the function (a lazy singleton), not a local.
                            else if (is(up, "assignment_expression")) {
                                TSNode left = unwrap(field(up, "left"));
                                site.cached = is(left, "member_expression") ||
                                              (is(left, "identifier") && ts_node_is_null(declarator_of(fn, text(left), ts_node_start_byte(up))));
                            }
                        }
                    }
                    // `const entry = { sql, db, ... }; ... return entry`: an object that holds the
                    // client goes back to the caller, who owns it (a pool cache's entry).
                    if (is(k, "object")) {
                        bool holds = false;
                        for (TSNode prop : named_children(k))
                            holds = holds || (is(prop, "shorthand_property_identifier") && text(prop) == var) ||
                                    (is(prop, "pair") && is(unwrap(field(prop, "value")), "identifier") && text(unwrap(field(prop, "value"))) == var);
                        TSNode up = ts_node_parent(k);
                        while (is(up, "as_expression") || is(up, "satisfies_expression") || is(up, "parenthesized_expression"))
                            up = ts_node_parent(up);
                        if (holds && is(up, "return_statement")) site.returned = true;
                        else if (holds && is(up, "variable_declarator") && is(field(up, "name"), "identifier"))
                            site.returned = returned(text(field(up, "name")));
                    }
                    for (TSNode c : named_children(k)) pending.push_back(c);
                }
                break;
            }
            if (is(p, "statement_block")) break;
        }
    }
    out_.pools.push_back(std::move(site));
}

// `const { f, g: h } = await import('./m')` / `const m = await import('./m')`: bound like the
// static imports they stand for (function scope is not tracked: names are file-wide).
void Collector::dynamic_import(TSNode n) {
    TSNode value = unwrap(field(n, "value"));
    if (is(value, "await_expression") && ts_node_named_child_count(value) > 0) value = unwrap(ts_node_named_child(value, 0));
    if (!is(value, "call_expression") || !is(field(value, "function"), "import")) return;
    const auto a = named_children(field(value, "arguments"));
    std::string module;
    if (a.empty() || !string_value(a[0], src_, module)) return;
    TSNode name = field(n, "name");
    if (is(name, "identifier")) {
        out_.imports.emplace(text(name), TsImport{module, "*"});
        return;
    }
    if (!is(name, "object_pattern")) return;
    for (TSNode p : named_children(name)) {
        if (is(p, "shorthand_property_identifier_pattern")) out_.imports.emplace(text(p), TsImport{module, text(p)});
        else if (is(p, "pair_pattern") && is(field(p, "value"), "identifier"))
            out_.imports.emplace(text(field(p, "value")), TsImport{module, text(field(p, "key"))});
    }
}

}  // namespace

TsCallee callee_of(TSNode callee, const std::string& src) {
    TsCallee c;
    callee = unwrap(callee);
    auto text = [&](TSNode n) { return std::string(node_text(n, src)); };
    if (is(callee, "identifier")) {
        c.kind = TsCallee::Name;
        c.name = text(callee);
        return c;
    }
    if (!is(callee, "member_expression")) return c;
    c.name = text(field(callee, "property"));
    TSNode obj = unwrap(field(callee, "object"));
    if (is(obj, "this")) {
        c.kind = TsCallee::This;
    } else if (is(obj, "member_expression") && is(unwrap(field(obj, "object")), "this")) {
        c.kind = TsCallee::ThisField;
        c.object = text(field(obj, "property"));
    } else if (is(obj, "identifier")) {
        c.kind = TsCallee::Member;
        c.object = text(obj);
    }
    return c;
}

void keep_call_arguments(TsFile& file) {
    const std::string& src = file.file->text();
    for (TsSite& site : file.sites) {
        if (site.kind != TsSiteKind::Call || ts_node_is_null(site.node)) continue;
        bool any_ref = false;
        site.arg_refs.clear();
        for (TSNode a : call_args(field(site.node, "arguments"))) {
            std::string ref;
            if (is(a, "identifier")) {
                ref = std::string(node_text(a, src));
            } else if (is(a, "member_expression")) {
                TSNode obj = unwrap(field(a, "object"));
                if (is(obj, "identifier")) ref = std::string(node_text(obj, src)) + "." + std::string(node_text(field(a, "property"), src));
            }
            any_ref = any_ref || !ref.empty();
            site.arg_refs.push_back(std::move(ref));
        }
        if (!any_ref) site.arg_refs.clear();
    }
}

TsFile collect_typescript(const SourceFile& file) {
    TsFile out;
    out.file = &file;
    out.tree = parse_typescript(file.text(), file.language() == SourceLanguage::Tsx);
    if (!out.tree.ok()) return out;
    out.errors = syntax_errors(out.tree.root());
    Collector(file, out).run(out.tree.root());
    out.other_engine = other_engine_file(out.imports);
    return out;
}

}  // namespace querylens
