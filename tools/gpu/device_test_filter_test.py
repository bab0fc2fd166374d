#!/usr/bin/env python3
"""run_all.sh runs only the suites of tconv_cuda_tests that use a GPU (cuda_device_tests, a
--gtest_filter): every suite of a backends/cuda test file that touches a device must match it,
and the kernels' CPU emulation suites must not (or the filter saves no device time)."""
import fnmatch
import glob
import os
import re
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GPU_MARKERS = ("no_gpu_reason", "run_on_device", "device_smoke_test", "skip_without_gpu")


def device_filter():
    text = open(os.path.join(REPO, "tools", "gpu", "run_all.sh")).read()
    return re.search(r"cuda_device_tests='([^']+)'", text).group(1).split(":")


def suites(source):
    names = set(re.findall(r"^\s*TEST(?:_P|_F)?\((\w+),", source, re.M))
    names |= {f"{n}/{n}Conformance" for n in re.findall(r"^TCONV_BACKEND_CONFORMANCE\((\w+),", source, re.M)}
    return names


def matches(suite, patterns):
    return any(fnmatch.fnmatchcase(suite + ".SomeTest", p) for p in patterns)


class DeviceTestFilter(unittest.TestCase):
    def test_every_suite_of_a_file_that_touches_a_gpu_runs_on_the_gpu(self):
        patterns = device_filter()
        device_files = 0
        for path in sorted(glob.glob(os.path.join(REPO, "backends", "cuda", "*_test.cpp"))):
            source = open(path).read()
            if not any(m in source for m in GPU_MARKERS):
                continue
            device_files += 1
            for suite in suites(source):
                self.assertTrue(matches(suite, patterns), f"{os.path.basename(path)}: {suite} is left out of {patterns}")
        self.assertGreaterEqual(device_files, 4)

    def test_the_emulation_suites_stay_on_the_cpu(self):
        patterns = device_filter()
        for suite in ("PhaseWgmmaWs", "PhaseSimt128", "CudaEmulated/CudaEmulatedConformance", "MmaEmulation"):
            self.assertFalse(matches(suite, patterns), suite)


if __name__ == "__main__":
    unittest.main()
