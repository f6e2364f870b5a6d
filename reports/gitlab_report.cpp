// GitLab code quality report (a Code Climate subset): a JSON array of issues.
#include <nlohmann/json.hpp>

#include "reports/report.h"

namespace querylens {

std::string render_gitlab(const ReportInput& in) {
    static const char* kSeverity[] = {"blocker", "critical", "major", "minor"};  // P0..P3
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& f : in.findings)
        out.push_back({{"description", f.message},
                       {"check_name", f.rule},
                       {"fingerprint", f.rule + ":" + f.loc.file + ":" + f.fingerprint},
                       {"severity", kSeverity[static_cast<int>(f.severity)]},
                       {"location", {{"path", f.loc.file}, {"lines", {{"begin", f.loc.line}}}}}});
    return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace querylens
