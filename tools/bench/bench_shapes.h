// The benchmark shapes (shapes.csv), as canonical problems.
#pragma once

#include <string>
#include <vector>

#include "backends/api/problem.h"
#include "backends/api/result.h"

namespace tconv::bench {

struct Shape {
  std::string name;
  Problem problem;  // f32, NCHW, IOHW weights, bias
};

// PyTorch terms to the canonical crops: begin = p, end = p - op.
Problem from_pytorch(std::int64_t n, std::int64_t c_in, std::int64_t h, std::int64_t w, std::int64_t c_out,
                     std::int64_t k, std::int64_t s, std::int64_t p, std::int64_t op, std::int64_t d, std::int64_t g);

Result<std::vector<Shape>> load_shapes(const std::string& csv_path);

}  // namespace tconv::bench
