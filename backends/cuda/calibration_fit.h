// Fitting the calibration table (calibration.h) from per-family device times measured on one
// GPU model: per (family, direction, precision class), non-negative weighted least squares on
// relative error over the family's features (GEMM families: launch + padded flops; direct
// families: launch + threads + multiply-adds). Families, directions or precisions without a
// measured row get a labelled default (the fallback chain in calibration_fit.cpp). Pure host
// code, so the committed table is reproducible from the committed measurements (a test refits).
#pragma once

#include <string>
#include <vector>

#include "backends/cuda/calibration.h"
#include "backends/cuda/dispatch.h"

namespace tconv::cuda {

// One measured device time of one family on one problem.
struct MeasuredRow {
  Family family;
  Direction direction;
  DType dtype;
  ConvGeometry g;
  double ms = 0;
  std::string label;  // the case name
};

// CSV with header kMeasuredHeader (geometry columns as ConvGeometry's, layout NCHW|NHWC).
extern const char* const kMeasuredHeader;
Result<std::vector<MeasuredRow>> parse_measured_rows(const std::string& csv);
std::string write_measured_rows(const std::vector<MeasuredRow>& rows, const std::string& comment);

// `base` carries the gpu name and the ceilings (with their sources); its family rows are replaced.
Calibration fit_calibration(const std::vector<MeasuredRow>& rows, Calibration base, const std::string& measured_where);

// The compiled-in measurements each builtin table was fitted from (same order as
// builtin_calibrations()).
const std::vector<std::vector<MeasuredRow>>& builtin_measurements();

}  // namespace tconv::cuda
