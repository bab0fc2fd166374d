// NumPy .npy read / write. The format: a 6-byte magic, a version, a little-endian header
// length, a Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)} padded
// with spaces to a multiple of 64 bytes and ended by '\n', then the raw data in C order.
// The reader trusts nothing in the file: every length is checked against the bytes actually
// present before anything is allocated, so a corrupt file is an error, never a crash.
#include "backends/api/npy.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string_view>

namespace tconv {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = sizeof(kMagic) - 1;
constexpr std::size_t kAlign = 64;             // NumPy pads the preamble+header to this
constexpr std::size_t kMaxRank = 64;           // NumPy's own limit (NPY_MAXDIMS in 2.x)
constexpr std::size_t kMaxHeaderV1 = 0xffff;   // the 1.0 header length is a uint16

// File contents in an error message: escaped and short, so the message stays one line.
std::string printable(std::string_view s, std::size_t max_chars = 32) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max_chars; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  if (s.size() > max_chars) out += "...";
  return out;
}

std::string shape_string(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");  // Python's 1-tuple needs the comma
}

// Little-endian integers, independent of the host's byte order.
std::uint64_t load_le(const char* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

void append_le(std::string* out, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// ---- header dict ------------------------------------------------------------------------

struct Header {
  std::string descr;
  bool fortran_order = false;
  std::vector<std::int64_t> shape;
};

// Recursive descent over the subset of Python literals NumPy writes. Each method returns an
// empty string on success, else the reason.
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : s_(text) {}

  std::string parse(Header* h) {
    bool have_descr = false, have_order = false, have_shape = false;
    skip_space();
    if (!eat('{')) return error("expected '{'");
    while (true) {
      skip_space();
      if (eat('}')) break;
      std::string key;
      if (auto e = parse_string(&key); !e.empty()) return e;
      skip_space();
      if (!eat(':')) return error("expected ':' after '" + printable(key) + "'");
      skip_space();
      std::string e;
      if (key == "descr" && !have_descr) {
        have_descr = true;
        e = parse_string(&h->descr);
      } else if (key == "fortran_order" && !have_order) {
        have_order = true;
        e = parse_bool(&h->fortran_order);
      } else if (key == "shape" && !have_shape) {
        have_shape = true;
        e = parse_shape(&h->shape);
      } else if (key == "descr" || key == "fortran_order" || key == "shape") {
        return "key '" + key + "' given twice";
      } else {
        return "unexpected key '" + printable(key) + "'";
      }
      if (!e.empty()) return e;
      skip_space();
      if (eat(',')) continue;
      if (eat('}')) break;
      return error("expected ',' or '}'");
    }
    skip_space();
    if (pos_ != s_.size()) return error("unexpected text after the dict");
    if (!have_descr) return "missing key 'descr'";
    if (!have_order) return "missing key 'fortran_order'";
    if (!have_shape) return "missing key 'shape'";
    return "";
  }

 private:
  std::string error(const std::string& what) const {
    return what + " at header byte " + std::to_string(pos_) + " ('" +
           printable(s_.substr(pos_), 12) + "')";
  }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }
  bool eat(char c) {
    if (at_end() || s_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  void skip_space() {
    while (!at_end() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }
  static bool is_word(char c) {
    return is_digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  // 'text' or "text"; NumPy never writes escapes, so a backslash is rejected.
  std::string parse_string(std::string* out) {
    const char quote = peek();
    if (quote != '\'' && quote != '"') return error("expected a quoted string");
    const std::size_t start = ++pos_;
    while (!at_end() && s_[pos_] != quote) {
      if (s_[pos_] == '\\') return error("unsupported escape in a string");
      if (s_[pos_] == '\n') break;  // strings never span lines: unterminated
      ++pos_;
    }
    if (at_end() || s_[pos_] != quote) return error("unterminated string");
    *out = std::string(s_.substr(start, pos_ - start));
    ++pos_;
    return "";
  }

  std::string parse_bool(bool* out) {
    for (auto [word, value] : {std::pair{std::string_view("True"), true}, {"False", false}}) {
      const std::size_t after = pos_ + word.size();
      if (s_.substr(pos_, word.size()) == word && (after >= s_.size() || !is_word(s_[after]))) {
        pos_ += word.size();
        *out = value;
        return "";
      }
    }
    return error("expected True or False");
  }

  // A tuple of non-negative integers: (), (5,), (2, 3), (2, 3,).
  std::string parse_shape(std::vector<std::int64_t>* out) {
    if (!eat('(')) return error("expected a tuple for 'shape'");
    out->clear();
    skip_space();
    if (eat(')')) return "";
    while (true) {
      std::int64_t v = 0;
      if (auto e = parse_dim(&v); !e.empty()) return e;
      if (out->size() == kMaxRank) return "shape has more than " + std::to_string(kMaxRank) + " dimensions";
      out->push_back(v);
      skip_space();
      if (eat(')')) {
        if (out->size() == 1) return error("'shape' (n) is an integer, not a tuple");
        return "";
      }
      if (!eat(',')) return error("expected ',' or ')' in 'shape'");
      skip_space();
      if (eat(')')) return "";
    }
  }

  std::string parse_dim(std::int64_t* out) {
    if (peek() == '-') return error("negative dimension");
    if (!is_digit(peek())) return error("expected an integer dimension");
    std::int64_t v = 0;
    while (is_digit(peek())) {
      const int digit = s_[pos_] - '0';
      if (v > (std::numeric_limits<std::int64_t>::max() - digit) / 10)
        return error("dimension does not fit in 64 bits");
      v = v * 10 + digit;
      ++pos_;
    }
    if (peek() == 'L') ++pos_;  // Python 2 longs, found in old files
    if (is_word(peek())) return error("bad integer dimension");
    *out = v;
    return "";
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// The stored element type of a descr, or a reason.
std::string dtype_of_descr(const std::string& descr, DType* out) {
  if (descr == "<f2") *out = DType::f16;
  else if (descr == "<f4") *out = DType::f32;
  else if (descr == "<f8") *out = DType::f64;
  else if (descr == "|i1" || descr == "<i1") *out = DType::i8;  // NumPy writes '|i1'
  else if (descr == "<i2") *out = DType::i16;
  else if (descr == "<i4") *out = DType::i32;
  else if (!descr.empty() && descr[0] == '>')
    return "big-endian descr '" + printable(descr) + "' is not supported (only little-endian '<f2', '<f4', '<f8', '|i1', '<i2', '<i4')";
  else
    return "unsupported descr '" + printable(descr) + "' (expected '<f2', '<f4', '<f8', '|i1', '<i2' or '<i4')";
  return "";
}

double decode_element(const char* p, DType t) {
  switch (t) {
    case DType::f16: return half_bits_to_double(static_cast<std::uint16_t>(load_le(p, 2)));
    case DType::f32: return std::bit_cast<float>(static_cast<std::uint32_t>(load_le(p, 4)));
    case DType::f64: return std::bit_cast<double>(load_le(p, 8));
    case DType::bf16: return bf16_bits_to_double(static_cast<std::uint16_t>(load_le(p, 2)));
    case DType::i8: return static_cast<std::int8_t>(load_le(p, 1));
    case DType::i16: return static_cast<std::int16_t>(load_le(p, 2));
    case DType::i32: return static_cast<std::int32_t>(load_le(p, 4));
  }
  return 0.0;
}

// Element count of a shape, or nullopt when a dim is negative or the byte size of the
// non-zero dims overflows 64 bits. Zeros do not excuse huge dims: code that multiplies the
// dims in any order (HostTensor, a consumer of the shape) must not overflow either.
std::optional<std::int64_t> checked_numel(const std::vector<std::int64_t>& shape, std::size_t elem) {
  std::int64_t n = 1, bytes = 0;
  bool has_zero = false;
  for (std::int64_t d : shape) {
    if (d < 0) return std::nullopt;
    if (d == 0) has_zero = true;
    else if (__builtin_mul_overflow(n, d, &n)) return std::nullopt;
  }
  if (__builtin_mul_overflow(n, static_cast<std::int64_t>(elem), &bytes)) return std::nullopt;
  return has_zero ? 0 : n;
}

std::string descr_of(DType stored) {
  switch (stored) {
    case DType::f16: return "<f2";
    case DType::f64: return "<f8";
    case DType::f32:
    case DType::bf16: return "<f4";  // bf16 has no NumPy dtype: exchanged as f32 (exact)
    case DType::i8: return "|i1";
    case DType::i16: return "<i2";
    case DType::i32: return "<i4";
  }
  return "<f4";
}

// Magic, version, length and the padded dict: version 1.0 unless the header needs more
// than 64 KiB (impossible for the ranks tconv writes, kept for completeness), then 2.0.
std::string preamble_and_header(const std::string& descr, const std::vector<std::int64_t>& shape) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_string(shape) + ", }";
  for (int len_size : {2, 4}) {
    const std::size_t preamble = kMagicSize + 2 + static_cast<std::size_t>(len_size);
    std::size_t header = dict.size() + 1;  // + '\n'
    header += (kAlign - (preamble + header) % kAlign) % kAlign;
    if (len_size == 2 && header > kMaxHeaderV1) continue;
    std::string out(kMagic, kMagicSize);
    out.push_back(static_cast<char>(len_size == 2 ? 1 : 2));
    out.push_back(0);
    append_le(&out, header, static_cast<std::size_t>(len_size));
    out += dict;
    out.append(header - dict.size() - 1, ' ');
    out.push_back('\n');
    return out;
  }
  return {};
}

}  // namespace

Result<NpyArray> parse_npy(const std::string& bytes, const std::string& name) {
  auto fail = [&](const std::string& why) { return Result<NpyArray>::failure(name + ": " + why); };
  const std::size_t size = bytes.size();
  if (bytes.compare(0, std::min(size, kMagicSize), kMagic, std::min(size, kMagicSize)) != 0)
    return fail("not an .npy file (bad magic '" + printable(bytes.substr(0, kMagicSize)) + "')");
  if (size < kMagicSize + 2) return fail("truncated: " + std::to_string(size) + " bytes end inside the preamble");
  const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    return fail("unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) + " (expected 1.0, 2.0 or 3.0)");
  const std::size_t len_size = major == 1 ? 2 : 4;
  const std::size_t header_start = kMagicSize + 2 + len_size;
  if (size < header_start) return fail("truncated: " + std::to_string(size) + " bytes end inside the header length");
  const std::uint64_t header_len = load_le(bytes.data() + kMagicSize + 2, len_size);
  if (header_len > size - header_start)
    return fail("truncated header: declares " + std::to_string(header_len) + " bytes, the file has " +
                std::to_string(size - header_start));

  Header h;
  const std::string_view text(bytes.data() + header_start, header_len);
  if (auto e = HeaderParser(text).parse(&h); !e.empty()) return fail("bad header: " + e);
  if (h.fortran_order) return fail("Fortran-order arrays are not supported (save a C-contiguous array)");
  NpyArray a;
  if (auto e = dtype_of_descr(h.descr, &a.dtype); !e.empty()) return fail(e);
  a.shape = std::move(h.shape);

  const std::size_t elem = dtype_size(a.dtype);
  const auto numel = checked_numel(a.shape, elem);
  if (!numel) return fail("shape " + shape_string(a.shape) + " is too large (overflows 64-bit sizes)");
  const std::size_t data_start = header_start + header_len;
  const std::uint64_t need = static_cast<std::uint64_t>(*numel) * elem, have = size - data_start;
  if (need > have)
    return fail("truncated data: shape " + shape_string(a.shape) + " of '" + h.descr + "' needs " +
                std::to_string(need) + " bytes, the file has " + std::to_string(have));
  if (need < have)
    return fail(std::to_string(have - need) + " unexpected bytes after the data of shape " + shape_string(a.shape));

  a.values.resize(static_cast<std::size_t>(*numel));
  const char* p = bytes.data() + data_start;
  for (std::size_t i = 0; i < a.values.size(); ++i) a.values[i] = decode_element(p + i * elem, a.dtype);
  return a;
}

Result<NpyArray> read_npy(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    return Result<NpyArray>::failure(path + (fs::exists(path, ec) ? ": not a regular file" : ": no such file"));
  const std::uintmax_t size = fs::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) return Result<NpyArray>::failure(path + ": cannot open: " + std::strerror(errno));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size)
    return Result<NpyArray>::failure(path + ": read error after " + std::to_string(in.gcount()) + " bytes");
  return parse_npy(bytes, path);
}

std::string npy_bytes(const HostTensor& t) {
  std::string bytes;
  std::string* out = &bytes;
  const Dims pd = t.physical_dims();
  const std::vector<std::int64_t> shape(pd.begin(), pd.begin() + physical_rank(t.layout()));
  *out = preamble_and_header(descr_of(t.dtype()), shape);

  // Raw element bits, re-encoded little-endian: NaN payloads and -0 survive the trip.
  const std::size_t elem = dtype_size(t.dtype());
  const auto* src = static_cast<const unsigned char*>(t.data());
  out->reserve(out->size() + static_cast<std::size_t>(t.numel()) * (t.dtype() == DType::bf16 ? 4 : elem));
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    const unsigned char* e = src + static_cast<std::size_t>(i) * elem;
    std::uint64_t bits = 0;
    if (elem == 1) bits = *e;
    if (elem == 2) { std::uint16_t b; std::memcpy(&b, e, 2); bits = b; }
    if (elem == 4) { std::uint32_t b; std::memcpy(&b, e, 4); bits = b; }
    if (elem == 8) { std::memcpy(&bits, e, 8); }
    if (t.dtype() == DType::bf16) append_le(out, bits << 16, 4);  // bf16 is the top half of an f32
    else append_le(out, bits, elem);
  }
  return bytes;
}

Status write_npy(const std::string& path, const HostTensor& t) {
  const std::string bytes = npy_bytes(t);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Error(StatusCode::error, path + ": cannot open for writing: " + std::strerror(errno));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::Error(StatusCode::error, path + ": write failed: " + std::strerror(errno));
  return Status::Ok();
}

Result<HostTensor> load_npy_tensor(const std::string& path, DType dtype, Layout layout,
                                   const Dims& logical, std::int64_t groups) {
  auto fail = [&](const std::string& why) { return Result<HostTensor>::failure(path + ": " + why); };
  const std::string wanted = std::string(to_string(layout)) + " tensor of logical dims [" +
                             std::to_string(logical[0]) + ", " + std::to_string(logical[1]) + ", " +
                             std::to_string(logical[2]) + ", " + std::to_string(logical[3]) + "]";
  // The caller's dims must describe a real tensor before anything is allocated for them.
  const auto logical_numel = checked_numel({logical.begin(), logical.end()}, 8);
  if (!logical_numel || groups < 1 || (layout == Layout::OIHW_FLIPPED && logical[0] % groups != 0))
    return fail("cannot hold a " + wanted + " with groups=" + std::to_string(groups));
  const Dims pd = physical_dims(layout, logical, groups);
  const std::vector<std::int64_t> expected(pd.begin(), pd.begin() + physical_rank(layout));
  const auto physical_numel = checked_numel(expected, 8);
  if (!physical_numel || *physical_numel != *logical_numel)
    return fail("logical dims do not fit layout " + std::string(to_string(layout)) + ": " + wanted);

  auto a = read_npy(path);
  if (!a) return Result<HostTensor>::failure(a.error());
  if (a->shape != expected)
    return fail("shape " + shape_string(a->shape) + " does not match " + shape_string(expected) +
                " expected for a " + wanted);
  HostTensor t(dtype, layout, logical, groups);
  // The file is in physical C order, which is exactly the tensor's buffer order.
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    const double v = a->values[static_cast<std::size_t>(i)];
    // Integer tensors are exact: a fraction or an out-of-range value would be silently
    // rounded or saturated into something that might match, so it is an error instead.
    if (is_integer(dtype) && (round_to(v, dtype) != v))
      return fail("element " + std::to_string(i) + " = " + std::to_string(v) + " is not an integer in the " +
                  std::string(to_string(dtype)) + " range [" + std::to_string(int_min(dtype)) + ", " +
                  std::to_string(int_max(dtype)) + "]");
    t.set(i, v);
  }
  return t;
}

}  // namespace tconv
