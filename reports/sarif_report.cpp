// SARIF 2.1.0 for CI quality gates and GitHub code scanning.
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace querylens {

using ojson = nlohmann::ordered_json;

namespace {

constexpr const char* kInformationUri = "https://github.com/querylens/querylens";

const char* level(Severity s) {
    switch (s) {
        case Severity::P0:
        case Severity::P1: return "error";
        case Severity::P2: return "warning";
        case Severity::P3: return "note";
    }
    return "note";
}

// Percent-encodes a relative path for a SARIF artifact URI (RFC 3986 path segment rules).
std::string uri_path(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

// Text of one "## Heading" section of a rule doc, without the heading.
std::string section(const std::string& doc, const std::string& heading) {
    const std::string marker = "## " + heading + "\n";
    auto begin = doc.find(marker);
    if (begin == std::string::npos) return {};
    begin += marker.size();
    auto end = doc.find("\n## ", begin);
    std::string s = doc.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

ojson physical(const Location& l) {
    ojson region;
    region["startLine"] = std::max<uint32_t>(1, l.line);
    region["startColumn"] = std::max<uint32_t>(1, l.column);
    if (l.end_line >= l.line && l.end_line > 0) {
        region["endLine"] = l.end_line;
        if (l.end_column > 0 && (l.end_line > l.line || l.end_column > l.column)) region["endColumn"] = l.end_column;
    }
    ojson pl;
    // Paths outside the root are absolute: a file:// URI, since a relative reference must not
    // start with '/' (SARIF1004).
    if (!l.file.empty() && l.file[0] == '/') pl["artifactLocation"] = {{"uri", "file://" + uri_path(l.file)}};
    else pl["artifactLocation"] = {{"uri", uri_path(l.file)}, {"uriBaseId", "%SRCROOT%"}};
    pl["region"] = region;
    return pl;
}

}  // namespace

std::string render_sarif(const ReportInput& in) {
    ojson rules = ojson::array();
    std::map<std::string, size_t> index;
    for (const Rule* r : in.rules) {
        index[r->id] = rules.size();
        const std::string doc = r->doc;
        const std::string what = section(doc, "What it does");
        const std::string why = section(doc, "Why is this bad?");
        ojson rj;
        rj["id"] = r->id;
        rj["name"] = r->name;
        rj["shortDescription"] = {{"text", r->summary}};
        rj["fullDescription"] = {{"text", what.empty() ? std::string(r->summary) : what}};
        rj["help"] = {{"text", what + "\n\n" + why}, {"markdown", doc}};
        rj["helpUri"] = std::string(kInformationUri) + "/blob/main/docs/rules/" + r->id + ".md";
        rj["defaultConfiguration"] = {{"level", level(r->severity)}};
        rj["properties"] = {{"tags", {"performance", "postgresql", to_string(r->category)}},
                            {"precision", r->category == RuleCategory::Input ? "very-high" : "high"},
                            {"priority", to_string(r->severity)}};
        rules.push_back(std::move(rj));
    }
    ojson results = ojson::array();
    for (const auto& f : in.findings) {
        ojson res;
        res["ruleId"] = f.rule;
        if (auto it = index.find(f.rule); it != index.end()) res["ruleIndex"] = it->second;
        res["level"] = level(f.severity);
        std::string text = f.message;
        if (!f.fix.empty()) text += "\nSuggested fix: " + f.fix;
        res["message"] = {{"text", text}};
        res["locations"] = ojson::array({{{"physicalLocation", physical(f.loc)}}});
        if (!f.related.empty()) {
            ojson related = ojson::array();
            for (size_t i = 0; i < f.related.size(); ++i)
                related.push_back({{"id", i + 1}, {"physicalLocation", physical(f.related[i].loc)},
                                   {"message", {{"text", f.related[i].message}}}});
            res["relatedLocations"] = related;
        }
        res["partialFingerprints"] = {{"primaryLocationLineHash", f.fingerprint}};
        ojson props;
        props["priority"] = to_string(f.severity);
        if (!f.tables.empty()) {
            props["tables"] = ojson::array();
            for (const auto& t : f.tables) props["tables"].push_back(display_name(t));
        }
        if (!f.fix.empty()) props["fix"] = f.fix;
        res["properties"] = props;
        results.push_back(std::move(res));
    }
    ojson run;
    run["tool"] = {{"driver",
                    {{"name", "querylens"},
                     {"version", QUERYLENS_VERSION},
                     {"semanticVersion", QUERYLENS_VERSION},
                     {"informationUri", kInformationUri},
                     {"rules", rules}}}};
    run["results"] = std::move(results);
    run["columnKind"] = "utf16CodeUnits";
    ojson root;
    root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    root["version"] = "2.1.0";
    root["runs"] = ojson::array({run});
    return root.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace querylens
