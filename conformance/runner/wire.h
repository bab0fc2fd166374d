// A minimal binary encoding for the isolated worker's request and response (same machine,
// same build: native byte order, no versioning beyond a magic word).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace tconv {

// Appends to *out, which it first empties: a buffer kept across messages keeps its
// capacity, so a sweep's messages of tens of megabytes are not allocated (and paged in) anew
// each time.
class WireWriter {
 public:
  explicit WireWriter(std::string* out) : bytes_(*out) { bytes_.clear(); }
  void u64(std::uint64_t v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void f64(double v) { bytes_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    bytes_.append(s.data(), s.size());
  }
  void raw(const void* p, std::size_t n) {
    u64(n);
    bytes_.append(static_cast<const char*>(p), n);
  }

 private:
  std::string& bytes_;
};

// Every read checks bounds; ok() turns false (and stays false) on the first short read.
class WireReader {
 public:
  explicit WireReader(std::string_view bytes) : bytes_(bytes) {}
  std::uint64_t u64() {
    std::uint64_t v = 0;
    take(&v, sizeof v);
    return v;
  }
  double f64() {
    double v = 0;
    take(&v, sizeof v);
    return v;
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (!ok_ || n > bytes_.size() - pos_) { ok_ = false; return {}; }
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // The next length-prefixed block, viewed in place.
  std::string_view block() {
    const std::uint64_t n = u64();
    if (!ok_ || n > bytes_.size() - pos_) { ok_ = false; return {}; }
    std::string_view v = bytes_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  bool ok() const { return ok_; }

 private:
  void take(void* dst, std::size_t n) {
    if (!ok_ || n > bytes_.size() - pos_) { ok_ = false; std::memset(dst, 0, n); return; }
    std::memcpy(dst, bytes_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace tconv
