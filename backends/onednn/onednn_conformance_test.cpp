// The abstract conformance suite for both onednn variants (default: oneDNN's layouts; plain).
#include "backends/onednn/onednn_backend.h"
#include "backends/testing/backend_conformance.h"

TCONV_BACKEND_CONFORMANCE(OneDnn, tconv::onednn_backend_factory());
