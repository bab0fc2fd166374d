// The framework conventions' singletons, for code that needs one by type rather than by name
// (registry.cpp lists them for the suite parser).
#pragma once

#include "conformance/conventions/convention.h"

namespace tconv::conventions {

const Convention& canonical_convention();
const Convention& pytorch_convention();
const Convention& keras_convention();
const Convention& tf_convention();
const Convention& onnx_convention();

}  // namespace tconv::conventions
