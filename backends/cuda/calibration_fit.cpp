#include "backends/cuda/calibration_fit.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

#include "backends/cuda/calibration_tables.h"

namespace tconv::cuda {

const char* const kMeasuredHeader =
    "family,direction,dtype,layout,n,c_in,c_out,groups,h_in,w_in,kh,kw,stride_h,stride_w,dil_h,dil_w,crop_top,"
    "crop_left,h_out,w_out,time_ms,case";

namespace {

constexpr int kGeometryFields = 16;  // n .. w_out

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> f;
  std::stringstream s(line);
  for (std::string part; std::getline(s, part, ',');) f.push_back(part);
  return f;
}

bool is_gemm_family(Family f) {
  return f == Family::phase_gemm || f == Family::k_equals_s || f == Family::bwd_weights_gemm || f == Family::phase_tc ||
         f == Family::phase_tc_tf32 || f == Family::phase_simt128 || f == Family::wgrad_simt128 ||
         f == Family::phase_wgmma || f == Family::phase_wgmma_ws;
}

// The features of a row in the family's model (cost_model.h): {1, threads * idle, work * idle}
// (GEMM families: threads is 0 and idle 1).
std::array<double, 3> features(const MeasuredRow& r, double resident_threads) {
  const FamilyWork w = family_work(r.family, r.direction, r.g, r.dtype);
  const double idle = w.threads > 0 && resident_threads > w.threads ? resident_threads / w.threads : 1;
  return {1.0, w.threads * idle, w.work * idle};
}

// Solves the k x k system in place (partial pivoting); false when singular.
bool solve(std::vector<std::vector<double>> a, std::vector<double> b, std::vector<double>* x) {
  const std::size_t k = b.size();
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t p = c;
    for (std::size_t r = c + 1; r < k; ++r)
      if (std::fabs(a[r][c]) > std::fabs(a[p][c])) p = r;
    if (std::fabs(a[p][c]) < 1e-12) return false;
    std::swap(a[p], a[c]);
    std::swap(b[p], b[c]);
    for (std::size_t r = 0; r < k; ++r) {
      if (r == c) continue;
      const double m = a[r][c] / a[c][c];
      for (std::size_t j = c; j < k; ++j) a[r][j] -= m * a[c][j];
      b[r] -= m * b[c];
    }
  }
  x->resize(k);
  for (std::size_t c = 0; c < k; ++c) (*x)[c] = b[c] / a[c][c];
  return true;
}

struct Fit {
  std::array<double, 3> coef{};  // ms, ms per thread, ms per work unit
  double worst = INFINITY;       // max |predicted/measured - 1|
  bool ok = false;
};

// Non-negative least squares on relative error: the best subset of the features whose
// unconstrained solution is non-negative (at most 3 features: every subset is tried).
Fit fit_rows(const std::vector<const MeasuredRow*>& rows, bool gemm, double resident_threads) {
  std::vector<std::array<double, 3>> x;
  for (const MeasuredRow* r : rows) x.push_back(features(*r, resident_threads));
  std::array<double, 3> scale{1, 1, 1};
  for (const auto& f : x)
    for (int j = 0; j < 3; ++j) scale[j] = std::max(scale[j], f[j]);
  Fit best;
  double best_sse = INFINITY;
  for (int mask = 1; mask < 8; ++mask) {
    if (gemm && (mask & 2)) continue;
    std::vector<int> cols;
    for (int j = 0; j < 3; ++j)
      if (mask & (1 << j)) cols.push_back(j);
    if (cols.size() > rows.size()) continue;
    std::vector<std::vector<double>> ata(cols.size(), std::vector<double>(cols.size(), 0));
    std::vector<double> atb(cols.size(), 0), c;
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t a = 0; a < cols.size(); ++a) {
        const double va = x[i][cols[a]] / scale[cols[a]] / rows[i]->ms;
        atb[a] += va;
        for (std::size_t b = 0; b < cols.size(); ++b) ata[a][b] += va * x[i][cols[b]] / scale[cols[b]] / rows[i]->ms;
      }
    if (!solve(ata, atb, &c)) continue;
    Fit f;
    bool nonneg = true;
    for (std::size_t a = 0; a < cols.size(); ++a) {
      nonneg &= c[a] >= 0;
      f.coef[cols[a]] = c[a] / scale[cols[a]];
    }
    if (!nonneg) continue;
    double sse = 0;
    f.worst = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const double pred = f.coef[0] + f.coef[1] * x[i][1] + f.coef[2] * x[i][2];
      const double e = pred / rows[i]->ms - 1;
      sse += e * e;
      f.worst = std::max(f.worst, std::fabs(e));
    }
    f.ok = true;
    if (sse < best_sse) best_sse = sse, best = f;
  }
  return best;
}

std::string percent(double v) {
  std::ostringstream o;
  o.precision(2);
  o << v * 100;
  return o.str();
}

using Key = std::tuple<std::string, std::string, std::string>;

// Where an unmeasured (family, direction, precision) takes its coefficients from, in order.
std::vector<Key> fallbacks(Family f, Direction d, const std::string& prec) {
  const std::string dir(to_string(d)), other = prec == "f32" ? "f16" : "f32", fam(family_name(f));
  std::vector<Key> k{{fam, dir, other}};
  if (is_gemm_family(f)) {
    k.push_back({"phase_gemm", "fwd", prec});
    k.push_back({"phase_gemm", "fwd", other});
  } else {
    k.push_back({"gather", dir, prec});
    k.push_back({"gather", dir, other});
    k.push_back({"gather", "fwd", prec});
    k.push_back({"gather", "fwd", other});
  }
  return k;
}

}  // namespace

Result<std::vector<MeasuredRow>> parse_measured_rows(const std::string& csv) {
  std::vector<MeasuredRow> rows;
  std::istringstream in(csv);
  bool header = false;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (!header) {
      if (line != kMeasuredHeader) return Status::Invalid("measured rows: expected header " + std::string(kMeasuredHeader));
      header = true;
      continue;
    }
    const std::vector<std::string> f = split(line);
    if (f.size() != 22) return Status::Invalid("measured rows: expected 22 fields: " + line);
    MeasuredRow r;
    const Result<CudaVariant> v = parse_cuda_variant(f[0]);
    const std::optional<Direction> d = parse_direction(f[1]);
    const std::optional<DType> t = parse_dtype(f[2]);
    if (!v.ok() || !v->family || !d || !t || (f[3] != "NCHW" && f[3] != "NHWC"))
      return Status::Invalid("measured rows: bad family, direction, dtype or layout: " + line);
    r.family = *v->family, r.direction = *d, r.dtype = *t;
    std::int64_t* dst[kGeometryFields] = {&r.g.n,        &r.g.c_in,     &r.g.c_out,    &r.g.groups,
                                          &r.g.h_in,     &r.g.w_in,     &r.g.kh,       &r.g.kw,
                                          &r.g.stride_h, &r.g.stride_w, &r.g.dil_h,    &r.g.dil_w,
                                          &r.g.crop_top, &r.g.crop_left, &r.g.h_out,   &r.g.w_out};
    for (int i = 0; i < kGeometryFields; ++i) *dst[i] = std::strtoll(f[4 + i].c_str(), nullptr, 10);
    r.g.nhwc = f[3] == "NHWC";
    r.ms = std::strtod(f[20].c_str(), nullptr);
    r.label = f[21];
    if (!(r.ms > 0)) return Status::Invalid("measured rows: time_ms must be positive: " + line);
    rows.push_back(r);
  }
  if (!header) return Status::Invalid("measured rows: no header");
  return rows;
}

std::string write_measured_rows(const std::vector<MeasuredRow>& rows, const std::string& comment) {
  std::ostringstream o;
  std::istringstream lines(comment);
  for (std::string l; std::getline(lines, l);) o << "# " << l << "\n";
  o << kMeasuredHeader << "\n";
  for (const MeasuredRow& r : rows) {
    const ConvGeometry& g = r.g;
    o << family_name(r.family) << "," << to_string(r.direction) << "," << to_string(r.dtype) << ","
      << (g.nhwc ? "NHWC" : "NCHW");
    for (std::int64_t v : {g.n, g.c_in, g.c_out, g.groups, g.h_in, g.w_in, g.kh, g.kw, g.stride_h, g.stride_w, g.dil_h,
                           g.dil_w, g.crop_top, g.crop_left, g.h_out, g.w_out})
      o << "," << v;
    o.precision(9);
    o << "," << r.ms << "," << r.label << "\n";
  }
  return o.str();
}

Calibration fit_calibration(const std::vector<MeasuredRow>& rows, Calibration base, const std::string& measured_where) {
  base.rows.clear();
  std::map<Key, std::vector<const MeasuredRow*>> groups;
  for (const MeasuredRow& r : rows)
    groups[{std::string(family_name(r.family)), std::string(to_string(r.direction)), precision_class(r.dtype)}]
        .push_back(&r);
  for (const auto& [key, group] : groups) {
    const Fit f = fit_rows(group, is_gemm_family(group.front()->family), base.resident_threads.value);
    if (!f.ok) continue;
    Coefficients c;
    c.launch_us = f.coef[0] * 1e3;
    c.ns_per_thread = f.coef[1] * 1e6;
    c.gwork_per_s = f.coef[2] > 0 ? 1 / (f.coef[2] * 1e6) : 0;
    c.fit_rows = static_cast<int>(group.size());
    c.source = "fit of " + std::to_string(group.size()) + " rows measured " + measured_where +
               "; worst row off by " + percent(f.worst) + "%";
    base.rows[key] = c;
  }
  // Every family, direction and precision it runs gets a row; unmeasured ones a labelled default.
  const std::map<Key, Coefficients> fitted = base.rows;
  for (Family f : all_families())
    for (Direction d : family_directions(f))
      for (const std::string prec : {"f32", "f16"}) {
        const Key key{std::string(family_name(f)), std::string(to_string(d)), prec};
        if (fitted.count(key)) continue;
        for (const Key& from : fallbacks(f, d, prec)) {
          const auto it = fitted.find(from);
          if (it == fitted.end()) continue;
          Coefficients c = it->second;
          c.fit_rows = 0;
          c.source = "DEFAULT, never measured: the coefficients of " + std::get<0>(from) + " " + std::get<1>(from) +
                     " " + std::get<2>(from) + " applied to this family's own work counts";
          base.rows[key] = c;
          break;
        }
      }
  return base;
}

const std::vector<std::vector<MeasuredRow>>& builtin_measurements() {
  static const std::vector<std::vector<MeasuredRow>> all = [] {
    std::vector<std::vector<MeasuredRow>> v;
    for (const char* text : kMeasuredTables) {
      Result<std::vector<MeasuredRow>> r = parse_measured_rows(text);
      v.push_back(r.ok() ? std::move(r).value() : std::vector<MeasuredRow>{});
    }
    return v;
  }();
  return all;
}

}  // namespace tconv::cuda
