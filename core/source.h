#pragma once
// Source files and positions. Every object querylens reports carries a Location computed here,
// so all output formats agree on lines and columns.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace querylens {

// 1-based line and column. Columns count UTF-16 code units (what SARIF and GitHub expect, and
// what most editors show for BMP text). end_* may be 0 when only a start is known.
struct Location {
    std::string file;  // project-relative path with '/' separators
    uint32_t line = 0;
    uint32_t column = 0;
    uint32_t end_line = 0;
    uint32_t end_column = 0;

    friend bool operator==(const Location&, const Location&) = default;
    friend auto operator<=>(const Location&, const Location&) = default;
};

// "path/to/file.sql:12", for messages.
inline std::string file_line(const Location& l) { return l.file + ":" + std::to_string(l.line); }

enum class SourceLanguage { Sql, TypeScript, Tsx };

// A piece of generated text that stands for a range of another file: SQL lowered from a Drizzle
// chain, or the text of a `sql` template with its `${}` replaced by `$n`.
struct SourceSegment {
    uint32_t begin = 0;        // offset in the generated text
    uint32_t origin = 0;       // offset in the original file
    uint32_t origin_len = 0;   // offsets past `begin` advance within [origin, origin + origin_len)
};

class SourceFile {
public:
    SourceFile(std::string path, std::string text, SourceLanguage lang);
    // Generated text whose positions are reported in `origin` (which must outlive it), through
    // `segments` sorted by `begin`. Offsets before the first segment map to its origin.
    SourceFile(std::string text, const SourceFile& origin, std::vector<SourceSegment> segments);

    const std::string& path() const { return path_; }
    const std::string& text() const { return text_; }
    SourceLanguage language() const { return lang_; }

    // Position of a byte offset (clamped to the text).
    Location at(uint32_t byte_offset) const;
    // Span between two byte offsets.
    Location span(uint32_t begin, uint32_t end) const;
    // The text of 1-based line `line` without its newline.
    std::string_view line_text(uint32_t line) const;
    uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

private:
    void position(uint32_t offset, uint32_t& line, uint32_t& column) const;

    std::string path_;
    std::string text_;
    SourceLanguage lang_;
    std::vector<uint32_t> line_starts_;
    const SourceFile* origin_ = nullptr;
    std::vector<SourceSegment> segments_;

    uint32_t to_origin(uint32_t offset) const;
};

}  // namespace querylens
