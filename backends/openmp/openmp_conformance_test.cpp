// The abstract conformance suite for every openmp variant (default, general, each GEMM).
#include "backends/openmp/openmp_backend.h"
#include "backends/testing/backend_conformance.h"

TCONV_BACKEND_CONFORMANCE(OpenMP, tconv::openmp_backend_factory());
