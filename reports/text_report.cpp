#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "reports/report.h"

namespace querylens {

std::string terminal_safe(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string render_text(const ReportInput& in, bool color) {
    auto paint = [&](const char* code, const std::string& s) {
        return color ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
    };
    static const char* sev_colour[] = {"1;31", "31", "33", "36"};
    std::string out;
    std::array<size_t, 4> counts{};
    std::set<std::string> files;
    for (const auto& f : in.findings) {
        const int sev = static_cast<int>(f.severity);
        ++counts[sev];
        files.insert(f.loc.file);
        out += paint("1", terminal_safe(f.loc.file) + ":" + std::to_string(f.loc.line) + ":" + std::to_string(f.loc.column)) +
               ": " + paint(sev_colour[sev], to_string(f.severity)) + " " + paint("2", "[" + f.rule + "]") + " " +
               terminal_safe(f.message) + "\n";
        // Related places (the loop, the call chain, other queries the same fix serves), a few.
        constexpr size_t kShownRelated = 5;
        for (size_t i = 0; i < f.related.size() && i < kShownRelated; ++i) {
            const auto& r = f.related[i];
            out += "    " + paint("2", "at " + terminal_safe(r.loc.file) + ":" + std::to_string(r.loc.line) + ": " +
                                           terminal_safe(r.message)) + "\n";
        }
        if (f.related.size() > kShownRelated)
            out += "    " + paint("2", "(+" + std::to_string(f.related.size() - kShownRelated) + " more)") + "\n";
        if (!f.fix.empty()) {
            // Multi-line fixes (several statements) keep their lines, indented under "fix:".
            out += "    " + paint("32", "fix:");
            size_t start = 0;
            for (bool first = true; start <= f.fix.size(); first = false) {
                const size_t nl = f.fix.find('\n', start);
                const std::string line = f.fix.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
                out += (first ? " " : "         ") + terminal_safe(line) + "\n";
                if (nl == std::string::npos) break;
                start = nl + 1;
            }
        }
    }
    if (in.findings.empty()) {
        out += "No findings.\n";
    } else {
        out += "\nFound " + std::to_string(in.findings.size()) + (in.findings.size() == 1 ? " finding" : " findings") +
               " in " + std::to_string(files.size()) + (files.size() == 1 ? " file" : " files") + " (P0: " +
               std::to_string(counts[0]) + ", P1: " + std::to_string(counts[1]) + ", P2: " + std::to_string(counts[2]) +
               ", P3: " + std::to_string(counts[3]) + ").\n";
    }
    if (in.hidden > 0) {
        const char next = static_cast<char>(std::min(in.min_severity.empty() ? '3' : in.min_severity.back() + 1, int('3')));
        out += std::to_string(in.hidden) + (in.hidden == 1 ? " finding" : " findings") + " below " + in.min_severity +
               " not listed (notes); --min-severity p" + next + " lists them.\n";
    }
    return out;
}

}  // namespace querylens
