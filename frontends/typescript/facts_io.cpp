#include "frontends/typescript/facts_io.h"

#include "core/bytes.h"

namespace querylens {

// A field added to one of these structs must be written and read below, or a cached file would
// come back without it: these sizes fail the build until the field is handled here (then update
// them). tests/cache_test.sh compares cached runs with uncached ones on every fixture.
static_assert(sizeof(TsPrescan) == 80, "TsPrescan changed: update facts_io.cpp");
static_assert(sizeof(TsFile) == 552, "TsFile changed: update facts_io.cpp");
static_assert(sizeof(TsSite) == 336, "TsSite changed: update facts_io.cpp");
static_assert(sizeof(TsCallee) == 72, "TsCallee changed: update facts_io.cpp");
static_assert(sizeof(TsLoopDecl) == 112, "TsLoopDecl changed: update facts_io.cpp");
static_assert(sizeof(TsFunctionDecl) == 80, "TsFunctionDecl changed: update facts_io.cpp");
static_assert(sizeof(TsClass) == 96, "TsClass changed: update facts_io.cpp");
static_assert(sizeof(TsImport) == 64, "TsImport changed: update facts_io.cpp");
static_assert(sizeof(TsExport) == 96, "TsExport changed: update facts_io.cpp");
static_assert(sizeof(TsSyntaxError) == 40, "TsSyntaxError changed: update facts_io.cpp");

namespace {

void write_chars(ByteWriter& w, const std::vector<char>& v) {
    w.u64(v.size());
    for (char c : v) w.boolean(c != 0);
}
std::vector<char> read_chars(ByteReader& r) {
    std::vector<char> v(r.count());
    for (auto& c : v) c = r.boolean() ? 1 : 0;
    return v;
}

void write_pairs(ByteWriter& w, const std::vector<std::pair<std::string, std::string>>& v) {
    w.u64(v.size());
    for (const auto& [a, b] : v) w.str(a), w.str(b);
}
std::vector<std::pair<std::string, std::string>> read_pairs(ByteReader& r) {
    std::vector<std::pair<std::string, std::string>> v(r.count());
    for (auto& [a, b] : v) a = r.str(), b = r.str();
    return v;
}

void write_int_map(ByteWriter& w, const std::map<std::string, int>& m) {
    w.u64(m.size());
    for (const auto& [k, v] : m) w.str(k), w.i64(v);
}
std::map<std::string, int> read_int_map(ByteReader& r) {
    std::map<std::string, int> m;
    for (size_t n = r.count(); r.ok() && n > 0; --n) {
        std::string k = r.str();
        m[std::move(k)] = static_cast<int>(r.i64());
    }
    return m;
}

uint32_t u32(ByteReader& r) { return static_cast<uint32_t>(r.u64()); }
int i32(ByteReader& r) { return static_cast<int>(r.i64()); }

void write_site(ByteWriter& w, const TsSite& s) {
    w.u64(static_cast<uint64_t>(s.kind));
    w.u64(s.offset);
    w.u64(static_cast<uint64_t>(s.callee.kind));
    w.str(s.callee.object);
    w.str(s.callee.name);
    w.strings(s.arg_refs);
    w.i64(s.function);
    w.i64(s.loop);
    w.i64(s.sql_arg);
    w.boolean(s.loop_invariant);
    w.boolean(s.value_returned);
    w.str(s.result);
    w.boolean(s.result_first_only);
    w.boolean(s.locking);
    write_pairs(w, s.set_reads);
    w.strings(s.where_reads);
    w.strings(s.set_steps);
    write_pairs(w, s.set_calls);
    w.u64(static_cast<uint64_t>(s.row_use));
    w.strings(s.row_fields);
    w.boolean(s.row_fields_tested_only);
}

bool read_site(ByteReader& r, TsSite& s) {
    const uint64_t kind = r.u64();
    if (kind > static_cast<uint64_t>(TsSiteKind::MigrationSql)) return false;
    s.kind = static_cast<TsSiteKind>(kind);
    s.offset = u32(r);
    const uint64_t callee = r.u64();
    if (callee > TsCallee::Member) return false;
    s.callee.kind = static_cast<TsCallee::Kind>(callee);
    s.callee.object = r.str();
    s.callee.name = r.str();
    s.arg_refs = r.strings();
    s.function = i32(r);
    s.loop = i32(r);
    s.sql_arg = i32(r);
    s.loop_invariant = r.boolean();
    s.value_returned = r.boolean();
    s.result = r.str();
    s.result_first_only = r.boolean();
    s.locking = r.boolean();
    s.set_reads = read_pairs(r);
    s.where_reads = r.strings();
    s.set_steps = r.strings();
    s.set_calls = read_pairs(r);
    const uint64_t use = r.u64();
    if (use > static_cast<uint64_t>(RowUse::Whole)) return false;
    s.row_use = static_cast<RowUse>(use);
    s.row_fields = r.strings();
    s.row_fields_tested_only = r.boolean();
    return r.ok();
}

}  // namespace

void write_prescan(const TsPrescan& scan, std::string& out) {
    ByteWriter w(out);
    w.strings(scan.specifiers);
    write_chars(w, scan.reexport);
    write_chars(w, scan.type_only);
    w.boolean(scan.has_class);
    w.boolean(scan.issues);
    w.boolean(scan.declares);
}

bool read_prescan(std::string_view in, TsPrescan& scan) {
    ByteReader r(in);
    scan.specifiers = r.strings();
    scan.reexport = read_chars(r);
    scan.type_only = read_chars(r);
    scan.has_class = r.boolean();
    scan.issues = r.boolean();
    scan.declares = r.boolean();
    return r.ok() && r.at_end() && scan.reexport.size() == scan.specifiers.size() && scan.type_only.size() == scan.specifiers.size();
}

bool write_tree_free_facts(const TsFile& f, std::string& out) {
    if (f.tree.ok() || !f.values.empty() || !f.pools.empty()) return false;
    ByteWriter w(out);
    w.u64(f.errors.size());
    for (const auto& e : f.errors) w.u64(e.offset), w.str(e.message);
    w.u64(f.imports.size());
    for (const auto& [local, imp] : f.imports) w.str(local), w.str(imp.module), w.str(imp.imported);
    w.u64(f.exports.size());
    for (const auto& [name, exp] : f.exports) w.str(name), w.str(exp.local), w.str(exp.module), w.str(exp.imported);
    w.strings(f.star_exports);
    w.string_map(f.instances);
    w.string_map(f.value_types);
    w.string_map(f.constants);
    w.u64(f.classes.size());
    for (const auto& [name, cls] : f.classes) {
        w.str(name);
        w.string_map(cls.field_types);
        write_int_map(w, cls.methods);
    }
    w.u64(f.functions.size());
    for (const auto& fn : f.functions) {
        w.str(fn.name), w.str(fn.cls), w.u64(fn.offset), w.u64(fn.end);
        w.boolean(fn.awaits_io), w.boolean(fn.closes_client);
    }
    write_int_map(w, f.function_by_name);
    w.u64(f.loops.size());
    for (const auto& l : f.loops) {
        w.str(l.kind), w.u64(l.offset);
        w.boolean(l.bounded), w.boolean(l.exits_early), w.boolean(l.statement), w.boolean(l.chunked), w.boolean(l.io_bound);
        w.strings(l.vars), w.i64(l.function), w.str(l.source);
    }
    w.u64(f.sites.size());
    for (const auto& s : f.sites) write_site(w, s);
    w.boolean(f.other_engine);
    return true;
}

bool read_tree_free_facts(std::string_view in, TsFile& f) {
    ByteReader r(in);
    f.errors.resize(r.count());
    for (auto& e : f.errors) e.offset = u32(r), e.message = r.str();
    for (size_t n = r.count(); r.ok() && n > 0; --n) {
        std::string local = r.str();
        TsImport& imp = f.imports[std::move(local)];
        imp.module = r.str(), imp.imported = r.str();
    }
    for (size_t n = r.count(); r.ok() && n > 0; --n) {
        std::string name = r.str();
        TsExport& exp = f.exports[std::move(name)];
        exp.local = r.str(), exp.module = r.str(), exp.imported = r.str();
    }
    f.star_exports = r.strings();
    f.instances = r.string_map();
    f.value_types = r.string_map();
    f.constants = r.string_map();
    for (size_t n = r.count(); r.ok() && n > 0; --n) {
        std::string name = r.str();
        TsClass& cls = f.classes[std::move(name)];
        cls.field_types = r.string_map();
        cls.methods = read_int_map(r);
    }
    f.functions.resize(r.count());
    for (auto& fn : f.functions) {
        fn.name = r.str(), fn.cls = r.str(), fn.offset = u32(r), fn.end = u32(r);
        fn.awaits_io = r.boolean(), fn.closes_client = r.boolean();
    }
    f.function_by_name = read_int_map(r);
    f.loops.resize(r.count());
    for (auto& l : f.loops) {
        l.kind = r.str(), l.offset = u32(r);
        l.bounded = r.boolean(), l.exits_early = r.boolean(), l.statement = r.boolean(), l.chunked = r.boolean(),
        l.io_bound = r.boolean();
        l.vars = r.strings(), l.function = i32(r), l.source = r.str();
    }
    f.sites.resize(r.count());
    for (auto& s : f.sites)
        if (!read_site(r, s)) return false;
    f.other_engine = r.boolean();
    return r.ok() && r.at_end();
}

}  // namespace querylens
