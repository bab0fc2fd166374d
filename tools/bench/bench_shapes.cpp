#include "tools/bench/bench_shapes.h"

#include <fstream>
#include <sstream>

namespace tconv::bench {

Problem from_pytorch(std::int64_t n, std::int64_t c_in, std::int64_t h, std::int64_t w, std::int64_t c_out,
                     std::int64_t k, std::int64_t s, std::int64_t p, std::int64_t op, std::int64_t d, std::int64_t g) {
  Problem pr;
  pr.n = n; pr.c_in = c_in; pr.h_in = h; pr.w_in = w; pr.c_out = c_out; pr.groups = g;
  pr.kh = pr.kw = k; pr.stride_h = pr.stride_w = s; pr.dil_h = pr.dil_w = d;
  pr.crop_top = pr.crop_left = p;
  pr.crop_bottom = pr.crop_right = p - op;
  return pr;
}

Result<std::vector<Shape>> load_shapes(const std::string& csv_path) {
  std::ifstream in(csv_path);
  if (!in) return Result<std::vector<Shape>>::failure("cannot open " + csv_path);
  std::vector<Shape> shapes;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {  // name,n,c_in,h,w,c_out,k,s,p,op,d,g
      header = false;
      continue;
    }
    std::stringstream ss(line);
    std::string name, field;
    std::getline(ss, name, ',');
    std::vector<std::int64_t> v;
    while (std::getline(ss, field, ',')) v.push_back(std::stoll(field));
    if (v.size() != 11) return Result<std::vector<Shape>>::failure(csv_path + ": expected 12 fields in '" + line + "'");
    shapes.push_back({name, from_pytorch(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10])});
    const Status ok = validate(shapes.back().problem);
    if (!ok.ok()) return Result<std::vector<Shape>>::failure(csv_path + ": " + name + ": " + ok.message);
  }
  return shapes;
}

}  // namespace tconv::bench
