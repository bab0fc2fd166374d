// .npy I/O: round trips, the on-disk format, and rejection of everything unsupported.
// Interoperability with NumPy itself lives in npy_numpy_test.cpp.
#include "backends/api/npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include <unistd.h>

namespace tconv {
namespace {

// A fresh directory under the system's temp dir, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("tconv_npy_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// An .npy file with a hand-written header dict (no padding: readers must not need it).
std::string npy_with_header(const std::string& dict, const std::string& data, int major = 1) {
  std::string out("\x93NUMPY", 6);
  out += static_cast<char>(major);
  out += '\0';
  const std::string header = dict + "\n";
  for (int i = 0; i < (major == 1 ? 2 : 4); ++i) out += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  return out + header + data;
}

constexpr Layout kAllLayouts[] = {Layout::NCHW, Layout::NHWC, Layout::IOHW, Layout::IHWO,
                                  Layout::HWOI, Layout::OIHW_FLIPPED, Layout::X};

// A small tensor of the layout's kind, filled with distinct values exact in every dtype,
// plus the special values a writer could mangle.
HostTensor sample(DType t, Layout l) {
  const Dims d = is_data_layout(l) ? Dims{2, 3, 4, 5} : l == Layout::X ? Dims{7, 1, 1, 1} : Dims{4, 3, 2, 3};
  HostTensor x(t, l, d, l == Layout::OIHW_FLIPPED ? 2 : 1);
  for (std::int64_t i = 0; i < x.numel(); ++i) x.set(i, 0.25 * static_cast<double>(i) - 3.0);
  x.set(0, std::numeric_limits<double>::quiet_NaN());
  x.set(1, -0.0);
  x.set(2, -INFINITY);
  return x;
}

bool same_value(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || (a == b && std::signbit(a) == std::signbit(b));
}

TEST(Npy, RoundTripsEveryDtypeAndLayout) {
  ScratchDir dir;
  for (DType t : kAllDTypes)
    for (Layout l : kAllLayouts) {
      SCOPED_TRACE(std::string(to_string(t)) + " " + std::string(to_string(l)));
      const HostTensor x = sample(t, l);
      std::string bytes;
      bytes = npy_bytes(x);
      auto a = parse_npy(bytes, "mem");
      ASSERT_TRUE(a.ok()) << a.error();
      const Dims pd = x.physical_dims();
      EXPECT_EQ(a->shape, std::vector<std::int64_t>(pd.begin(), pd.begin() + physical_rank(l)));
      EXPECT_EQ(a->dtype, t == DType::bf16 ? DType::f32 : t);
      ASSERT_EQ(std::ssize(a->values), x.numel());
      for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_TRUE(same_value(a->values[i], x.get(i))) << i;

      const std::string path = dir.file("x.npy");
      ASSERT_EQ(write_npy(path, x), Status::Ok());
      auto back = load_npy_tensor(path, t, l, x.dims(), x.groups());
      ASSERT_TRUE(back.ok()) << back.error();
      ASSERT_EQ(back->bytes(), x.bytes());
      EXPECT_EQ(std::memcmp(back->data(), x.data(), x.bytes()), 0);
    }
}

TEST(Npy, WritesVersion1HeaderPaddedTo64) {
  HostTensor x(DType::f32, Layout::NHWC, {2, 3, 4, 5});
  std::string bytes;
  bytes = npy_bytes(x);
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_len = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  EXPECT_EQ((10 + header_len) % 64, 0u);
  EXPECT_EQ(bytes.size(), 10 + header_len + 120 * 4);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_EQ(header.rfind("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4, 5, 3), }", 0), 0u) << header;
  EXPECT_EQ(header.back(), '\n');
  HostTensor bias(DType::f16, Layout::X, {5, 1, 1, 1});
  bytes = npy_bytes(bias);
  EXPECT_NE(bytes.find("'descr': '<f2'"), std::string::npos);
  EXPECT_NE(bytes.find("'shape': (5,)"), std::string::npos);  // rank 1, Python's 1-tuple
}

TEST(Npy, DataIsLittleEndian) {
  HostTensor x(DType::f32, Layout::X, {1, 1, 1, 1});
  x.set(0, 1.0);  // 0x3f800000
  std::string bytes;
  bytes = npy_bytes(x);
  EXPECT_EQ(bytes.substr(bytes.size() - 4), std::string("\x00\x00\x80\x3f", 4));
}

TEST(Npy, Bf16IsWrittenAsF4AndRoundedOnLoad) {
  ScratchDir dir;
  HostTensor b(DType::bf16, Layout::X, {2, 1, 1, 1});
  b.set(0, 1.5);
  b.set(1, -0.10009765625);
  ASSERT_EQ(write_npy(dir.file("b.npy"), b), Status::Ok());
  auto a = read_npy(dir.file("b.npy"));
  ASSERT_TRUE(a.ok()) << a.error();
  EXPECT_EQ(a->dtype, DType::f32);
  EXPECT_EQ(a->values, (std::vector<double>{1.5, -0.10009765625}));

  // An f32 file whose values are not bf16 values: load rounds to nearest even.
  HostTensor f(DType::f32, Layout::X, {3, 1, 1, 1});
  f.set(0, 1.0 + std::ldexp(1.0, -8));      // tie -> 1.0
  f.set(1, 1.0 + 3 * std::ldexp(1.0, -8));  // tie -> 1 + 2^-6
  f.set(2, 0.1);
  ASSERT_EQ(write_npy(dir.file("f.npy"), f), Status::Ok());
  auto loaded = load_npy_tensor(dir.file("f.npy"), DType::bf16, Layout::X, {3, 1, 1, 1});
  ASSERT_TRUE(loaded.ok()) << loaded.error();
  EXPECT_EQ(loaded->get(0), 1.0);
  EXPECT_EQ(loaded->get(1), 1.0 + std::ldexp(1.0, -6));
  EXPECT_EQ(loaded->get(2), 0.10009765625);
  auto half = load_npy_tensor(dir.file("f.npy"), DType::f16, Layout::X, {3, 1, 1, 1});
  ASSERT_TRUE(half.ok()) << half.error();
  EXPECT_EQ(half->get(2), 0.0999755859375);
}

TEST(Npy, LoadChecksThePhysicalShape) {
  ScratchDir dir;
  const std::string path = dir.file("x.npy");
  ASSERT_EQ(write_npy(path, HostTensor(DType::f32, Layout::NCHW, {2, 3, 4, 5})), Status::Ok());
  EXPECT_TRUE(load_npy_tensor(path, DType::f32, Layout::NCHW, {2, 3, 4, 5}).ok());
  // Same logical dims, other layout: the file's (2, 3, 4, 5) is not NHWC's (2, 4, 5, 3).
  auto r = load_npy_tensor(path, DType::f32, Layout::NHWC, {2, 3, 4, 5});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), path + ": shape (2, 3, 4, 5) does not match (2, 4, 5, 3) expected for a NHWC tensor of logical dims [2, 3, 4, 5]");
  r = load_npy_tensor(path, DType::f32, Layout::X, {120, 1, 1, 1});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().find("does not match (120,)"), std::string::npos) << r.error();
  // Dims that cannot describe a tensor of the layout are refused before any allocation.
  for (auto [l, d, g] : {std::tuple{Layout::X, Dims{2, 3, 4, 5}, std::int64_t{1}},
                         std::tuple{Layout::OIHW_FLIPPED, Dims{3, 2, 1, 1}, std::int64_t{2}},
                         std::tuple{Layout::NCHW, Dims{-2, -3, 4, 5}, std::int64_t{1}},
                         std::tuple{Layout::NCHW, Dims{1 << 30, 1 << 30, 1 << 30, 1 << 30}, std::int64_t{1}},
                         std::tuple{Layout::IOHW, Dims{2, 3, 4, 5}, std::int64_t{0}}}) {
    r = load_npy_tensor(path, DType::f32, l, d, g);
    ASSERT_FALSE(r.ok()) << to_string(l);
    EXPECT_EQ(r.error().rfind(path + ": ", 0), 0u) << r.error();
  }
}

TEST(Npy, MissingFileAndDirectoryAreErrors) {
  ScratchDir dir;
  auto r = read_npy(dir.file("nope.npy"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), dir.file("nope.npy") + ": no such file");
  r = read_npy(dir.path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), dir.path() + ": not a regular file");
  EXPECT_FALSE(write_npy(dir.file("missing_dir/x.npy"), HostTensor(DType::f32, Layout::X, {1, 1, 1, 1})).ok());
}

// ---- rejection --------------------------------------------------------------------------

std::string f4_bytes(int count) { return std::string(static_cast<std::size_t>(count) * 4, '\x01'); }
std::string dict(const std::string& descr, const std::string& order, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
}

struct Rejection {
  const char* what;
  std::string bytes;
  const char* message_part;
};

std::vector<Rejection> rejections() {
  const std::string ok_dict = dict("<f4", "False", "(2, 3)");
  const std::string valid = npy_with_header(ok_dict, f4_bytes(6));
  return {
      {"empty file", "", "truncated"},
      {"text file", "hello world, not an array", "not an .npy file (bad magic 'hello ')"},
      {"bad magic", "\x93NUMPZ" + valid.substr(6), "bad magic"},
      {"version 4.0", npy_with_header(ok_dict, f4_bytes(6), 4), "unsupported .npy format version 4.0"},
      {"version 1.1", std::string(valid).replace(7, 1, "\x01"), "version 1.1"},
      {"fortran order", npy_with_header(dict("<f4", "True", "(2, 3)"), f4_bytes(6)), "Fortran-order arrays are not supported"},
      {"big-endian", npy_with_header(dict(">f4", "False", "(2, 3)"), f4_bytes(6)), "big-endian descr '>f4' is not supported"},
      {"big-endian f8", npy_with_header(dict(">f8", "False", "(3,)"), f4_bytes(6)), "big-endian descr '>f8'"},
      {"int64", npy_with_header(dict("<i8", "False", "(2, 3)"), f4_bytes(12)), "unsupported descr '<i8'"},
      {"big-endian int16", npy_with_header(dict(">i2", "False", "(2, 3)"), f4_bytes(3)), "big-endian descr '>i2'"},
      {"native-order", npy_with_header(dict("=f4", "False", "(2, 3)"), f4_bytes(6)), "unsupported descr '=f4'"},
      {"bytes", npy_with_header(dict("|u1", "False", "(24,)"), f4_bytes(6)), "unsupported descr '|u1'"},
      {"complex", npy_with_header(dict("<c8", "False", "(3,)"), f4_bytes(6)), "unsupported descr '<c8'"},
      {"structured", npy_with_header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }", f4_bytes(6)),
       "bad header: expected a quoted string"},
      {"header longer than the file", valid.substr(0, 8) + std::string("\xff\x7f", 2) + valid.substr(10), "truncated header: declares 32767 bytes"},
      {"truncated data", valid.substr(0, valid.size() - 1), "truncated data: shape (2, 3) of '<f4' needs 24 bytes, the file has 23"},
      {"trailing bytes", valid + "xyz", "3 unexpected bytes after the data"},
      {"no dict", npy_with_header("hello", ""), "bad header: expected '{'"},
      {"unclosed dict", npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", f4_bytes(6)), "expected ',' or '}'"},
      {"unquoted key", npy_with_header("{descr: '<f4'}", ""), "expected a quoted string"},
      {"missing colon", npy_with_header("{'descr' '<f4'}", ""), "expected ':' after 'descr'"},
      {"unterminated string", npy_with_header("{'descr': '<f4}", ""), "unterminated string"},
      {"escape", npy_with_header("{'descr': '<f\\x34'}", ""), "unsupported escape"},
      {"bad bool", npy_with_header(dict("<f4", "Maybe", "(2, 3)"), f4_bytes(6)), "expected True or False"},
      {"bool prefix", npy_with_header(dict("<f4", "Falsey", "(2, 3)"), f4_bytes(6)), "expected True or False"},
      {"shape list", npy_with_header(dict("<f4", "False", "[2, 3]"), f4_bytes(6)), "expected a tuple for 'shape'"},
      {"shape int", npy_with_header(dict("<f4", "False", "6"), f4_bytes(6)), "expected a tuple"},
      {"parenthesised int", npy_with_header(dict("<f4", "False", "(6)"), f4_bytes(6)), "is an integer, not a tuple"},
      {"missing comma", npy_with_header(dict("<f4", "False", "(2 3)"), f4_bytes(6)), "expected ',' or ')'"},
      {"double comma", npy_with_header(dict("<f4", "False", "(2,, 3)"), f4_bytes(6)), "expected an integer dimension"},
      {"float dim", npy_with_header(dict("<f4", "False", "(2.0, 3)"), f4_bytes(6)), "expected ',' or ')'"},
      {"hex dim", npy_with_header(dict("<f4", "False", "(0x2, 3)"), f4_bytes(6)), "bad integer dimension"},
      {"negative dim", npy_with_header(dict("<f4", "False", "(-2, 3)"), f4_bytes(6)), "negative dimension"},
      {"unknown key", npy_with_header("{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'x': 1}", f4_bytes(6)), "unexpected key 'x'"},
      {"duplicate key", npy_with_header("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (6,)}", f4_bytes(6)), "key 'descr' given twice"},
      {"missing shape", npy_with_header("{'descr': '<f4', 'fortran_order': False}", f4_bytes(6)), "missing key 'shape'"},
      {"missing descr", npy_with_header("{'fortran_order': False, 'shape': (6,)}", f4_bytes(6)), "missing key 'descr'"},
      {"missing order", npy_with_header("{'descr': '<f4', 'shape': (6,)}", f4_bytes(6)), "missing key 'fortran_order'"},
      {"text after dict", npy_with_header(ok_dict + " x", f4_bytes(6)), "unexpected text after the dict"},
      {"two dicts", npy_with_header(ok_dict + ok_dict, f4_bytes(6)), "unexpected text after the dict"},
      {"binary garbage", npy_with_header(std::string("{\x00\xff\n", 4), ""), "bad header: expected a quoted string at header byte 1 ('\\x00\\xff\\x0a\\x0a')"},
      {"overflowing product", npy_with_header(dict("<f4", "False", "(1099511627776, 1099511627776)"), ""), "shape (1099511627776, 1099511627776) is too large"},
      {"empty but huge", npy_with_header(dict("<f4", "False", "(0, 4294967296, 4294967296)"), ""), "is too large"},
      {"overflowing bytes", npy_with_header(dict("<f8", "False", "(2305843009213693952,)"), ""), "is too large"},
      {"dim beyond int64", npy_with_header(dict("<f4", "False", "(99999999999999999999,)"), ""), "dimension does not fit in 64 bits"},
      {"more data than the file has", npy_with_header(dict("<f4", "False", "(1000000000,)"), f4_bytes(6)), "needs 4000000000 bytes, the file has 24"},
  };
}

TEST(Npy, RejectsWithOneLineErrorNamingTheFile) {
  for (const Rejection& r : rejections()) {
    auto a = parse_npy(r.bytes, "case.npy");
    ASSERT_FALSE(a.ok()) << r.what;
    EXPECT_EQ(a.error().rfind("case.npy: ", 0), 0u) << r.what << ": " << a.error();
    EXPECT_NE(a.error().find(r.message_part), std::string::npos) << r.what << ": '" << a.error() << "'";
    EXPECT_EQ(a.error().find_first_of("\r\n"), std::string::npos) << r.what << ": " << a.error();
  }
}

TEST(Npy, RankLimitIsNumPys) {
  std::string shape = "(";
  for (int i = 0; i < 64; ++i) shape += "1, ";
  auto ok = parse_npy(npy_with_header(dict("<f4", "False", shape + ")"), f4_bytes(1)), "r64.npy");
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok->shape.size(), 64u);
  auto bad = parse_npy(npy_with_header(dict("<f4", "False", shape + "1)"), f4_bytes(1)), "r65.npy");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("more than 64 dimensions"), std::string::npos) << bad.error();
}

TEST(Npy, AcceptsWhatNumPyMayWrite) {
  // Double quotes, no trailing comma, extra spaces, Python 2 longs, scalars, empty arrays.
  struct Accepted { std::string header; std::vector<std::int64_t> shape; int count; };
  const Accepted cases[] = {
      {"{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}", {2, 3}, 6},
      {"{ 'shape' : ( 3 , ) ,'fortran_order':False,'descr':'<f4' }", {3}, 3},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }", {2, 3}, 6},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (), }", {}, 1},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", {0, 5}, 0},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1152921504606846976), }", {0, 1152921504606846976}, 0},
  };
  for (const Accepted& c : cases)
    for (int major : {1, 2, 3}) {
      auto a = parse_npy(npy_with_header(c.header, f4_bytes(c.count), major), "ok.npy");
      ASSERT_TRUE(a.ok()) << c.header << ": " << a.error();
      EXPECT_EQ(a->shape, c.shape);
      EXPECT_EQ(std::ssize(a->values), c.count);
    }
}

// ---- robustness ---------------------------------------------------------------------------

std::string valid_file() {
  HostTensor x(DType::f64, Layout::NCHW, {1, 2, 2, 3});
  x.fill(1.25);
  std::string bytes;
  bytes = npy_bytes(x);
  return bytes;
}

TEST(Npy, TruncationAtEveryByteOffsetIsAnError) {
  const std::string bytes = valid_file();
  ASSERT_TRUE(parse_npy(bytes, "t.npy").ok());
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    auto a = parse_npy(bytes.substr(0, len), "t.npy");
    ASSERT_FALSE(a.ok()) << "accepted the first " << len << " bytes";
    ASSERT_EQ(a.error().rfind("t.npy: ", 0), 0u) << a.error();
    ASSERT_EQ(a.error().find('\n'), std::string::npos) << a.error();
  }
}

TEST(Npy, ByteCorruptionNeverCrashes) {
  // Every header byte replaced by bytes that matter to the parser: either a clean error or
  // an array whose value count matches its shape.
  const std::string bytes = valid_file();
  const char replacements[] = {'\0', ' ', '\n', '(', ')', ',', '\'', '"', ':', '{', '}', '9', '-', 'L', '\x7f', '\xff'};
  int accepted = 0;
  for (std::size_t pos = 0; pos < bytes.size() - 8 * 12; ++pos)
    for (char c : replacements) {
      std::string corrupt = bytes;
      corrupt[pos] = c;
      auto a = parse_npy(corrupt, "c.npy");
      if (a.ok()) {
        std::int64_t n = 1;
        for (std::int64_t d : a->shape) n *= d;
        ASSERT_EQ(std::ssize(a->values), n);
        ++accepted;
      } else {
        ASSERT_EQ(a.error().rfind("c.npy: ", 0), 0u);
        ASSERT_EQ(a.error().find('\n'), std::string::npos) << a.error();
      }
    }
  EXPECT_GT(accepted, 0);  // padding spaces are free to change
}

}  // namespace
}  // namespace tconv
