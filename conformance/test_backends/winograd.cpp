#include "conformance/test_backends/winograd.h"

#include <array>

namespace tconv::testing {

namespace {

using i64 = std::int64_t;
constexpr int kMaxAlpha = 6;  // m + r - 1 for F(4, 3)
using Tile = std::array<std::array<float, kMaxAlpha>, kMaxAlpha>;

// The transform matrices of F(m, 3), alpha = m + 2 (Lavin & Gray 2016, section 4).
struct Transforms {
  int m = 0, alpha = 0;
  std::vector<std::vector<float>> bt, g, at;  // alpha x alpha, alpha x 3, m x alpha
};

Transforms transforms(int m) {
  if (m == 2)
    return {2, 4,
            {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
            {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}},
            {{1, 1, 1, 0}, {0, 1, -1, -1}}};
  return {4, 6,
          {{4, 0, -5, 0, 1, 0},
           {0, -4, -4, 1, 1, 0},
           {0, 4, -4, -1, 1, 0},
           {0, -2, -1, 2, 1, 0},
           {0, 2, -1, -2, 1, 0},
           {0, 4, 0, -5, 0, 1}},
          {{1.0f / 4, 0, 0},
           {-1.0f / 6, -1.0f / 6, -1.0f / 6},
           {-1.0f / 6, 1.0f / 6, -1.0f / 6},
           {1.0f / 24, 1.0f / 12, 1.0f / 6},
           {1.0f / 24, -1.0f / 12, 1.0f / 6},
           {0, 0, 1}},
          {{1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}}};
}

// L * X * R^T for small dense matrices: L is rows x inner, X inner x inner2, R cols x inner2.
Tile sandwich(const std::vector<std::vector<float>>& l, const Tile& x, int inner, int inner2,
              const std::vector<std::vector<float>>& r) {
  Tile tmp{}, out{};
  const int rows = static_cast<int>(l.size()), cols = static_cast<int>(r.size());
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < inner2; ++j)
      for (int k = 0; k < inner; ++k) tmp[i][j] += l[i][k] * x[k][j];
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j)
      for (int k = 0; k < inner2; ++k) out[i][j] += tmp[i][k] * r[j][k];
  return out;
}

}  // namespace

std::vector<float> winograd_correlation(const CorrelationForm& f, int m) {
  const Transforms t = transforms(m);
  const int a = t.alpha;
  // Filters once: U[g][o][c] = G g G^T.
  std::vector<Tile> u(static_cast<std::size_t>(f.groups * f.oc * f.ic));
  for (i64 g = 0; g < f.groups; ++g)
    for (i64 o = 0; o < f.oc; ++o)
      for (i64 c = 0; c < f.ic; ++c) {
        Tile k{};
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j) k[i][j] = f.tap(g, o, c, i, j);
        u[static_cast<std::size_t>((g * f.oc + o) * f.ic + c)] = sandwich(t.g, k, 3, 3, t.g);
      }
  std::vector<float> out(f.out_size(), 0.0f);
  std::vector<Tile> v(static_cast<std::size_t>(f.ic));
  for (i64 b = 0; b < f.n; ++b)
    for (i64 g = 0; g < f.groups; ++g)
      for (i64 ti = 0; ti < f.out_h; ti += m)
        for (i64 tj = 0; tj < f.out_w; tj += m) {
          for (i64 c = 0; c < f.ic; ++c) {  // V = B^T d B, zeros beyond the plane
            Tile d{};
            for (int i = 0; i < a; ++i)
              for (int j = 0; j < a; ++j)
                if (ti + i < f.in_h && tj + j < f.in_w) d[i][j] = f.input(b, g, c, ti + i, tj + j);
            v[static_cast<std::size_t>(c)] = sandwich(t.bt, d, a, a, t.bt);
          }
          for (i64 o = 0; o < f.oc; ++o) {
            Tile acc{};
            for (i64 c = 0; c < f.ic; ++c) {
              const Tile& uc = u[static_cast<std::size_t>((g * f.oc + o) * f.ic + c)];
              for (int i = 0; i < a; ++i)
                for (int j = 0; j < a; ++j) acc[i][j] += uc[i][j] * v[static_cast<std::size_t>(c)][i][j];
            }
            const Tile y = sandwich(t.at, acc, a, a, t.at);
            for (int i = 0; i < m && ti + i < f.out_h; ++i)
              for (int j = 0; j < m && tj + j < f.out_w; ++j) out[f.out_index(b, g, o, ti + i, tj + j)] = y[i][j];
          }
        }
  return out;
}

}  // namespace tconv::testing
