// A minimal binary encoding for the isolated worker's request and response (same machine,
// same build: native byte order, no versioning beyond a magic word).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace tconv {

// A message as it is written: bytes of its own, and large blocks (tensors) it only points at,
// in order. The blocks are copied once, straight to where the message goes (the worker's
// shared arena), not first into the message and then again. The pointed-at memory must
// outlive the message's sending. A message kept across sends keeps its capacity.
class WireMessage {
 public:
  WireMessage() = default;
  explicit WireMessage(std::string_view bytes) { append(bytes.data(), bytes.size()); }

  void clear() {
    own_.clear();
    blocks_.clear();
    referred_ = 0;
  }
  void append(const void* p, std::size_t n) { own_.append(static_cast<const char*>(p), n); }
  void refer(const void* p, std::size_t n) {
    blocks_.push_back(Block{own_.size(), static_cast<const char*>(p), n});
    referred_ += n;
  }
  std::size_t size() const { return own_.size() + referred_; }
  // The whole message, size() bytes, to dst.
  void copy_to(char* dst) const {
    std::size_t from = 0;
    for (const Block& b : blocks_) {
      std::memcpy(dst, own_.data() + from, b.at - from);
      dst += b.at - from;
      from = b.at;
      if (b.n > 0) std::memcpy(dst, b.data, b.n);
      dst += b.n;
    }
    std::memcpy(dst, own_.data() + from, own_.size() - from);
  }

 private:
  struct Block {
    std::size_t at;  // where in own_ the block goes
    const char* data;
    std::size_t n;
  };
  std::string own_;
  std::vector<Block> blocks_;
  std::size_t referred_ = 0;
};

// Appends to *out, which it first empties. Blocks of kReferredBlock bytes or more are
// referred to, not copied.
class WireWriter {
 public:
  static constexpr std::size_t kReferredBlock = 4096;
  explicit WireWriter(WireMessage* out) : out_(*out) { out_.clear(); }
  void u64(std::uint64_t v) { out_.append(&v, sizeof v); }
  void f64(double v) { out_.append(&v, sizeof v); }
  void str(std::string_view s) {
    u64(s.size());
    out_.append(s.data(), s.size());
  }
  void raw(const void* p, std::size_t n) {
    u64(n);
    if (n >= kReferredBlock) out_.refer(p, n);
    else out_.append(p, n);
  }

 private:
  WireMessage& out_;
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
