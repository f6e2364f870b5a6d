#pragma once
// A compact byte encoding for plain data that querylens keeps between runs (the fact cache,
// analysis/fact_cache.h): unsigned integers as LEB128 varints, strings length-prefixed. The reader
// checks every length against what is left and fails instead of reading past the end, so a
// truncated or corrupt cache is a miss, never a crash.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace querylens {

class ByteWriter {
public:
    explicit ByteWriter(std::string& out) : out_(out) {}
    void u64(uint64_t v) {
        while (v >= 0x80) {
            out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
            v >>= 7;
        }
        out_.push_back(static_cast<char>(v));
    }
    void i64(int64_t v) { u64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }  // zigzag
    void boolean(bool b) { out_.push_back(b ? 1 : 0); }
    void str(std::string_view s) {
        u64(s.size());
        out_.append(s);
    }
    void strings(const std::vector<std::string>& v) {
        u64(v.size());
        for (const auto& s : v) str(s);
    }
    void string_map(const std::map<std::string, std::string>& m) {
        u64(m.size());
        for (const auto& [k, v] : m) str(k), str(v);
    }

private:
    std::string& out_;
};

class ByteReader {
public:
    explicit ByteReader(std::string_view in) : in_(in) {}
    bool ok() const { return ok_; }
    bool at_end() const { return pos_ == in_.size(); }
    uint64_t u64() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos_ >= in_.size()) return fail();
            const auto byte = static_cast<unsigned char>(in_[pos_++]);
            v |= static_cast<uint64_t>(byte & 0x7f) << shift;
            if (!(byte & 0x80)) return v;
        }
        return fail();
    }
    int64_t i64() {
        const uint64_t v = u64();
        return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
    }
    // A count of items each at least one byte long: more than the bytes left is corruption.
    size_t count() {
        const uint64_t n = u64();
        return n <= in_.size() - pos_ ? static_cast<size_t>(n) : (fail(), 0);
    }
    bool boolean() {
        if (pos_ >= in_.size()) return fail();
        return in_[pos_++] != 0;
    }
    std::string str() { return std::string(view()); }
    std::string_view view() {
        const uint64_t n = u64();
        if (!ok_ || n > in_.size() - pos_) return fail(), std::string_view();
        const std::string_view s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    std::vector<std::string> strings() {
        std::vector<std::string> v(count());
        for (auto& s : v) s = str();
        return v;
    }
    std::map<std::string, std::string> string_map() {
        std::map<std::string, std::string> m;
        for (size_t n = count(); ok_ && n > 0; --n) {
            std::string k = str();
            m[std::move(k)] = str();
        }
        return m;
    }

private:
    uint64_t fail() {
        ok_ = false;
        pos_ = in_.size();
        return 0;
    }
    std::string_view in_;
    size_t pos_ = 0;
    bool ok_ = true;
};

}  // namespace querylens
