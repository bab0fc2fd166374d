/* c_tconv: an external tconv backend in plain C (backends/external/PROTOCOL.md), the shape of
 * an FPGA host program: read problem.json and the inputs, compute, write the output and the
 * compute time as timing.json.
 *   c_tconv --capabilities   prints what it supports
 *   c_tconv WORKDIR          one problem x direction
 * Supports f32 / f64, NCHW data, IOHW weights, every direction; reads and writes .npy itself
 * (version 1.0, little-endian, C order).
 * Integer mode (i8 / i16, fwd): int32 accumulation of (x - zp_x)*(w - zp_w) plus the int32
 * bias, then the requantization declared in problem.json's "quant", the way fixed-point
 * hardware does it. C_TCONV_BUG=rounding plants a bug: it always rounds half away from zero,
 * whatever mode was declared (the tests check that tconv catches it). */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  int64_t shape[4];
  int rank;
  int64_t numel;
  double* values;
} array;

static char json[16384];
static char work[4096];

static void die(const char* what, const char* detail) {
  fprintf(stderr, "c_tconv: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(1);
}

static const char* path_of(const char* file) {
  static char buf[4200];
  snprintf(buf, sizeof buf, "%s/%s", work, file);
  return buf;
}

/* The value after "key": in problem.json (the first occurrence: the problem object). */
static const char* json_value(const char* key) {
  char pattern[64];
  snprintf(pattern, sizeof pattern, "\"%s\":", key);
  const char* at = strstr(json, pattern);
  if (!at) die("problem.json has no key", key);
  at += strlen(pattern);
  while (*at == ' ') ++at;
  return at;
}
static int64_t json_int(const char* key) { return strtoll(json_value(key), NULL, 10); }
static int json_is(const char* key, const char* text) { return strncmp(json_value(key), text, strlen(text)) == 0; }

/* The quoted word after "key": (problem.json's "rounding", "dtype"). */
static int json_word_is(const char* key, const char* word) {
  const char* v = json_value(key);
  return *v == '"' && strncmp(v + 1, word, strlen(word)) == 0 && v[1 + strlen(word)] == '"';
}

/* Element formats this program reads and writes. */
typedef enum { F4, F8, I1, I2, I4 } format;
static const char* const descr_of[] = {"<f4", "<f8", "|i1", "<i2", "<i4"};
static const size_t size_of[] = {4, 8, 1, 2, 4};

static double read_element(FILE* f, format t, const char* file) {
  unsigned char b[8];
  if (fread(b, size_of[t], 1, f) != 1) die("truncated data", file);
  switch (t) {
    case F4: { float v; memcpy(&v, b, 4); return v; }
    case F8: { double v; memcpy(&v, b, 8); return v; }
    case I1: return (int8_t)b[0];
    case I2: { int16_t v; memcpy(&v, b, 2); return v; }
    case I4: { int32_t v; memcpy(&v, b, 4); return v; }
  }
  return 0;
}

static array read_npy(const char* file, format* t) {
  FILE* f = fopen(path_of(file), "rb");
  if (!f) die("cannot open", file);
  unsigned char head[10];
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6) != 0 || head[6] != 1) die("not a .npy 1.0", file);
  const size_t len = head[8] | head[9] << 8;
  char* dict = calloc(len + 1, 1);
  if (fread(dict, 1, len, f) != len) die("truncated header", file);
  int known = 0;
  for (int i = 0; i < 5 && !known; ++i) {
    char quoted[8];
    snprintf(quoted, sizeof quoted, "'%s'", descr_of[i]);
    if (strstr(dict, quoted)) *t = (format)i, known = 1;
  }
  if (!known) die("only <f4, <f8, |i1, <i2 and <i4 are supported", file);
  if (strstr(dict, "'fortran_order': True")) die("Fortran order is not supported", file);
  array a = {{1, 1, 1, 1}, 0, 1, NULL};
  for (char* s = strchr(strstr(dict, "'shape'"), '(') + 1; a.rank < 4;) {
    char* end;
    const long long v = strtoll(s, &end, 10);
    if (end == s) break;
    a.shape[a.rank++] = v;
    a.numel *= v;
    s = end + 1;
  }
  free(dict);
  a.values = malloc(sizeof(double) * (size_t)a.numel);
  for (int64_t i = 0; i < a.numel; ++i) a.values[i] = read_element(f, *t, file);
  fclose(f);
  return a;
}

static void write_npy(const char* file, const double* v, const int64_t* shape, int rank, format t) {
  char dict[256], dims[128] = "";
  for (int i = 0; i < rank; ++i)
    snprintf(dims + strlen(dims), sizeof dims - strlen(dims), "%lld,%s", (long long)shape[i], i + 1 < rank ? " " : "");
  int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                   descr_of[t], dims);
  while ((10 + n + 1) % 64) dict[n++] = ' '; /* header padded so the data is 64-byte aligned */
  dict[n++] = '\n';
  FILE* f = fopen(path_of(file), "wb");
  if (!f) die("cannot write", file);
  const unsigned char head[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(n & 0xff), (unsigned char)(n >> 8)};
  fwrite(head, 1, 10, f);
  fwrite(dict, 1, (size_t)n, f);
  int64_t numel = 1;
  for (int i = 0; i < rank; ++i) numel *= shape[i];
  for (int64_t i = 0; i < numel; ++i) {
    unsigned char b[8];
    const float x = (float)v[i];
    const int8_t i1 = (int8_t)v[i];
    const int16_t i2 = (int16_t)v[i];
    const int32_t i4 = (int32_t)v[i];
    switch (t) {
      case F4: memcpy(b, &x, 4); break;
      case F8: memcpy(b, &v[i], 8); break;
      case I1: memcpy(b, &i1, 1); break;
      case I2: memcpy(b, &i2, 2); break;
      case I4: memcpy(b, &i4, 4); break;
    }
    fwrite(b, size_of[t], 1, f);
  }
  if (fclose(f) != 0) die("cannot write", file);
}

/* floor(v / 2^s) without relying on >> of a negative number. */
static int64_t floor_shift(int64_t v, int s) { return v >= 0 ? v >> s : -((-(v + 1)) >> s) - 1; }

/* v / 2^s rounded as problem.json declares (PROTOCOL.md: nearest_even, half_away, half_up,
 * floor, trunc); ties are exact halves. */
static int64_t rounding_shift(int64_t v, int s, const char* mode) {
  if (s == 0) return v;
  const int64_t q = floor_shift(v, s), rem = v - q * ((int64_t)1 << s), half = (int64_t)1 << (s - 1);
  if (strcmp(mode, "floor") == 0) return q;
  if (strcmp(mode, "trunc") == 0) return v < 0 && rem != 0 ? q + 1 : q;
  if (strcmp(mode, "half_up") == 0) return rem >= half ? q + 1 : q;
  if (strcmp(mode, "half_away") == 0) return rem > half || (rem == half && v >= 0) ? q + 1 : q;
  return rem > half || (rem == half && (q & 1)) ? q + 1 : q; /* nearest_even */
}

/* The quantized fwd: int32 accumulators, then y = clamp(zp_y + round(acc*M / 2^shift)). */
static void forward_integer(const array* x, const array* w, const array* b, double* out, const int64_t* dims) {
  const int64_t N = dims[0], CI = dims[1], CO = dims[2], G = dims[3], HI = dims[4], WI = dims[5], KH = dims[6],
                KW = dims[7], SH = dims[8], SW = dims[9], DH = dims[10], DW = dims[11], PT = dims[12], PL = dims[13],
                HO = dims[14], WO = dims[15];
  const int64_t CIG = CI / G, COG = CO / G, zp_x = json_int("zp_x"), zp_w = json_int("zp_w"), zp_y = json_int("zp_y");
  const int64_t mult = json_int("multiplier");
  const int shift = (int)json_int("shift");
  const int i8 = json_word_is("dtype", "i8");
  const int64_t lo = i8 ? -128 : -32768, hi = i8 ? 127 : 32767;
  const char* modes[] = {"nearest_even", "half_away", "half_up", "floor", "trunc"};
  const char* mode = "nearest_even";
  for (int i = 0; i < 5; ++i)
    if (json_word_is("rounding", modes[i])) mode = modes[i];
  const char* bug = getenv("C_TCONV_BUG");
  if (bug && strcmp(bug, "rounding") == 0) mode = "half_away"; /* the planted bug */
  const int64_t numel = N * CO * HO * WO;
  int32_t* acc = calloc((size_t)numel, sizeof(int32_t));
  if (!acc) die("out of memory", NULL);
  for (int64_t n = 0; n < N; ++n)
    for (int64_t ci = 0; ci < CI; ++ci)
      for (int64_t o = 0; o < COG; ++o)
        for (int64_t ih = 0; ih < HI; ++ih)
          for (int64_t iw = 0; iw < WI; ++iw)
            for (int64_t kh = 0; kh < KH; ++kh)
              for (int64_t kw = 0; kw < KW; ++kw) {
                const int64_t oh = ih * SH - PT + kh * DH, ow = iw * SW - PL + kw * DW;
                if (oh < 0 || oh >= HO || ow < 0 || ow >= WO) continue;
                const int64_t oc = ci / CIG * COG + o;
                const int32_t xv = (int32_t)x->values[((n * CI + ci) * HI + ih) * WI + iw] - (int32_t)zp_x;
                const int32_t wv = (int32_t)w->values[((ci * COG + o) * KH + kh) * KW + kw] - (int32_t)zp_w;
                int32_t* a = &acc[((n * CO + oc) * HO + oh) * WO + ow];
                *a = (int32_t)((uint32_t)*a + (uint32_t)xv * (uint32_t)wv); /* int32 wrap, no UB */
              }
  for (int64_t i = 0; i < numel; ++i) {
    int64_t a = acc[i];
    if (b->values) a = (int32_t)((uint32_t)a + (uint32_t)(int32_t)b->values[i / (HO * WO) % CO]);
    int64_t y = zp_y + rounding_shift(a * mult, shift, mode);
    out[i] = (double)(y < lo ? lo : y > hi ? hi : y);
  }
  free(acc);
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "--capabilities") == 0) {
    puts("{\"dtypes\": [\"f32\", \"f64\", \"i8\", \"i16\"], \"layouts\": [\"NCHW\"], \"weight_layouts\": [\"IOHW\"],\n"
         " \"directions\": [\"fwd\", \"bwd_data\", \"bwd_weights\", \"bwd_bias\"],\n"
         " \"math\": {\"name\": \"f64acc\", \"u_mul\": 0, \"u_acc\": 1.1102230246251565e-16}}");
    return 0;
  }
  if (argc != 2) die("usage: c_tconv --capabilities | c_tconv WORKDIR", NULL);
  snprintf(work, sizeof work, "%s", argv[1]);
  FILE* f = fopen(path_of("problem.json"), "rb");
  if (!f) die("cannot open problem.json", work);
  json[fread(json, 1, sizeof json - 1, f)] = 0;
  fclose(f);

  const int64_t N = json_int("n"), CI = json_int("c_in"), CO = json_int("c_out"), G = json_int("groups");
  const int64_t HI = json_int("h_in"), WI = json_int("w_in"), KH = json_int("kh"), KW = json_int("kw");
  const int64_t SH = json_int("stride_h"), SW = json_int("stride_w"), DH = json_int("dil_h"), DW = json_int("dil_w");
  const int64_t PT = json_int("pad_top"), PL = json_int("pad_left"), HO = json_int("h_out"), WO = json_int("w_out");
  const int bias = json_is("bias", "true");
  if (!json_is("layout", "\"NCHW\"") || !json_is("weight_layout", "\"IOHW\"")) die("only NCHW / IOHW", NULL);
  const int dir = json_is("direction", "\"fwd\"") ? 0 : json_is("direction", "\"bwd_data\"") ? 1
                  : json_is("direction", "\"bwd_weights\"") ? 2 : 3;
  const int64_t CIG = CI / G, COG = CO / G;

  format t = F4, bias_t = F4;
  array x = {{0}, 0, 0, NULL}, w = x, b = x, dy = x;
  if (dir == 0 || dir == 2) x = read_npy("x.npy", &t);
  if (dir == 0 || dir == 1) w = read_npy("w.npy", &t);
  if (dir == 0 && bias) b = read_npy("b.npy", &bias_t);
  if (dir != 0) dy = read_npy("dy.npy", &t);
  const int integer = t == I1 || t == I2;

  const int64_t y_shape[4] = {N, CO, HO, WO}, x_shape[4] = {N, CI, HI, WI}, w_shape[4] = {CI, COG, KH, KW};
  const int64_t* out_shape = dir == 0 ? y_shape : dir == 1 ? x_shape : dir == 2 ? w_shape : &CO;
  const int out_rank = dir == 3 ? 1 : 4;
  int64_t out_numel = 1;
  for (int i = 0; i < out_rank; ++i) out_numel *= out_shape[i];
  double* out = calloc((size_t)out_numel, sizeof(double));

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  if (integer) {
    const int64_t dims[16] = {N, CI, CO, G, HI, WI, KH, KW, SH, SW, DH, DW, PT, PL, HO, WO};
    forward_integer(&x, &w, &b, out, dims);
  } else if (dir == 3) {
    for (int64_t n = 0; n < N; ++n)
      for (int64_t c = 0; c < CO; ++c)
        for (int64_t i = 0; i < HO * WO; ++i) out[c] += dy.values[(n * CO + c) * HO * WO + i];
  } else {
    for (int64_t n = 0; n < N; ++n)
      for (int64_t ci = 0; ci < CI; ++ci)
        for (int64_t o = 0; o < COG; ++o)
          for (int64_t ih = 0; ih < HI; ++ih)
            for (int64_t iw = 0; iw < WI; ++iw)
              for (int64_t kh = 0; kh < KH; ++kh)
                for (int64_t kw = 0; kw < KW; ++kw) {
                  const int64_t oh = ih * SH - PT + kh * DH, ow = iw * SW - PL + kw * DW;
                  if (oh < 0 || oh >= HO || ow < 0 || ow >= WO) continue;
                  const int64_t oc = ci / CIG * COG + o;
                  const int64_t xi = ((n * CI + ci) * HI + ih) * WI + iw, wi = ((ci * COG + o) * KH + kh) * KW + kw;
                  const int64_t yi = ((n * CO + oc) * HO + oh) * WO + ow;
                  if (dir == 0) out[yi] += x.values[xi] * w.values[wi];
                  else if (dir == 1) out[xi] += dy.values[yi] * w.values[wi];
                  else out[wi] += x.values[xi] * dy.values[yi];
                }
    if (dir == 0 && bias)
      for (int64_t i = 0; i < out_numel; ++i) out[i] += b.values[i / (HO * WO) % CO];
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);

  const char* names[] = {"y.npy", "dx.npy", "dw.npy", "db.npy"};
  write_npy(names[dir], out, out_shape, out_rank, t);
  FILE* timing = fopen(path_of("timing.json"), "w");
  if (!timing) die("cannot write timing.json", NULL);
  fprintf(timing, "{\"device_time_ms\": %.6f}\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  fclose(timing);
  free(out);
  free(x.values);
  free(w.values);
  free(b.values);
  free(dy.values);
  return 0;
}
