// Baselines: today's findings recorded by fingerprint, so CI reports only new ones.
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace querylens {

namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // rule, file, fingerprint

}  // namespace

std::string render_baseline(const std::vector<Finding>& findings) {
    nlohmann::ordered_json root;
    root["tool"] = "querylens";
    root["version"] = 1;
    root["findings"] = nlohmann::ordered_json::array();
    for (const auto& f : findings)
        root["findings"].push_back({{"rule", f.rule}, {"file", f.loc.file}, {"fingerprint", f.fingerprint},
                                    {"line", f.loc.line}, {"message", f.message}});
    return root.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool filter_baseline(const std::string& baseline, std::vector<Finding>& findings, std::string& error) {
    nlohmann::json root = nlohmann::json::parse(baseline, nullptr, false);
    if (root.is_discarded() || !root.is_object() || !root.contains("findings") || !root["findings"].is_array()) {
        error = "not a querylens baseline (expected a JSON object with a \"findings\" array)";
        return false;
    }
    std::map<Key, int> known;  // a multiset: two identical findings need two entries
    for (const auto& f : root["findings"]) {
        if (!f.is_object() || !f.contains("rule") || !f.contains("file") || !f.contains("fingerprint") ||
            !f["rule"].is_string() || !f["file"].is_string() || !f["fingerprint"].is_string()) {
            error = "baseline entry without string rule, file and fingerprint";
            return false;
        }
        ++known[{f["rule"], f["file"], f["fingerprint"]}];
    }
    std::vector<Finding> fresh;
    for (auto& f : findings) {
        auto it = known.find({f.rule, f.loc.file, f.fingerprint});
        if (it != known.end() && it->second > 0) {
            --it->second;
            continue;
        }
        fresh.push_back(std::move(f));
    }
    findings = std::move(fresh);
    return true;
}

}  // namespace querylens
