#!/usr/bin/env python3
"""gtest_survive.py on a fixture binary that crashes twice, and on one test that never ends
under --test-timeout: every test is reported."""
import os
import subprocess
import sys

fixture = sys.argv[1]
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gtest_survive.py")
ran = subprocess.run([sys.executable, script, fixture, "--gtest_filter=SurviveFixture.*"], capture_output=True, text=True)
out = ran.stdout
expected = [
    "CRASHED SurviveFixture.Segfaults", "killed by SIGSEGV", "CRASHED SurviveFixture.AbortsToo", "killed by SIGFPE",
    "FAILED SurviveFixture.Fails", "planted failure", "restarted 2 time(s)", "3 passed, 3 failed, 0 skipped",
]
missing = [e for e in expected if e not in out]
if missing or ran.returncode != 1:
    sys.stderr.write("exit %d, missing %s in:\n%s%s" % (ran.returncode, missing, out, ran.stderr))
    sys.exit(1)

hung = subprocess.run([sys.executable, script, "--test-timeout=2", fixture,
                       "--gtest_filter=SurviveFixture.PassesFirst:SurviveHang.NeverEnds:SurviveFixture.PassesLast"],
                      capture_output=True, text=True, timeout=60)
expected = ["TIMED OUT SurviveHang.NeverEnds", "no result 2 s after it started", "restarted 1 time(s)",
            "2 passed, 1 failed, 0 skipped"]
missing = [e for e in expected if e not in hung.stdout]
if missing or hung.returncode != 1:
    sys.stderr.write("exit %d, missing %s in:\n%s%s" % (hung.returncode, missing, hung.stdout, hung.stderr))
    sys.exit(1)
print("gtest_survive: every test of the crashing fixture reported; the endless one timed out and the rest ran")
