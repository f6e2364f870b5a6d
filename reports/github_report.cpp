// GitHub Actions workflow commands: one `::error file=...,line=...::message` annotation per finding.
#include "reports/report.h"

namespace querylens {

namespace {

// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
std::string escape_data(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%') out += "%25";
        else if (c == '\r') out += "%0D";
        else if (c == '\n') out += "%0A";
        else out += c;
    }
    return out;
}

std::string escape_property(const std::string& s) {
    std::string out;
    for (char c : escape_data(s)) {
        if (c == ':') out += "%3A";
        else if (c == ',') out += "%2C";
        else out += c;
    }
    return out;
}

}  // namespace

std::string render_github(const ReportInput& in) {
    std::string out;
    for (const auto& f : in.findings) {
        const char* level = f.severity <= Severity::P1 ? "error" : f.severity == Severity::P2 ? "warning" : "notice";
        out += std::string("::") + level + " file=" + escape_property(f.loc.file) + ",line=" + std::to_string(f.loc.line) +
               ",col=" + std::to_string(f.loc.column);
        if (f.loc.end_line) out += ",endLine=" + std::to_string(f.loc.end_line);
        out += ",title=" + escape_property(std::string(to_string(f.severity)) + " " + f.rule) + "::" +
               escape_data(terminal_safe(f.message) + (f.fix.empty() ? "" : "\nfix: " + terminal_safe(f.fix))) + "\n";
    }
    return out;
}

}  // namespace querylens
