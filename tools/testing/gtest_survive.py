#!/usr/bin/env python3
"""Runs a GoogleTest binary so that a crash or a hang in one test does not hide the others.

    gtest_survive.py [--test-timeout=SECONDS] BINARY [--gtest_filter=PATTERN] [other gtest flags...]

The binary runs its tests in one process, as usual; when the process dies in a test (a
signal, or an exit in the middle of a test), that test is reported CRASHED with the signal
and the last lines it printed, and a fresh process runs the tests after it. With
--test-timeout, a test that has not ended SECONDS after it started (a kernel waiting on a
barrier that never completes, a library that never returns) is reported TIMED OUT, its
process is killed, and a fresh process runs the tests after it. At the end: every failed,
crashed or timed-out test by name with its last lines, then 'N passed, N failed, N skipped'
(crashes and time-outs count as failed).
Exit status 0 when every test passed, 1 otherwise, 2 when the binary could not be listed.
"""
import queue
import signal
import subprocess
import tempfile
import threading
import time
import sys

RUN, OK, FAILED, SKIPPED = "[ RUN      ]", "[       OK ]", "[  FAILED  ]", "[  SKIPPED ]"


def list_tests(binary, flags):
    listed = subprocess.run([binary, "--gtest_list_tests"] + flags, capture_output=True, text=True)
    if listed.returncode != 0:
        sys.stderr.write(listed.stdout + listed.stderr)
        return None
    tests, suite = [], ""
    for line in listed.stdout.splitlines():
        if not line.strip() or line.startswith("Running main"):
            continue
        name = line.split("#")[0].rstrip()
        if not line.startswith(" "):
            suite = name
        else:
            tests.append(suite + name.strip())
    return tests


def describe_end(returncode):
    if returncode < 0:
        sig = -returncode
        return "killed by %s" % signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else "signal %d" % sig
    return "exit status %d in the middle of the test" % returncode


def run_batch(binary, flags, tests, results, test_timeout=None):
    """Runs `tests` in one process; returns the index of the first test not yet run."""
    # The remaining tests by name, in a flag file: thousands of names exceed what one
    # argument or environment variable may hold.
    with tempfile.NamedTemporaryFile("w", prefix="gtest_survive_", suffix=".flags") as flagfile:
        flagfile.write("--gtest_filter=" + ":".join(tests) + "\n")
        flagfile.flush()
        return run_process([binary, "--gtest_flagfile=" + flagfile.name] + flags, tests, results, test_timeout)


def lines_of(stream):
    """The stream's lines through a queue (None at its end), so the reader can wait with a limit."""
    lines = queue.Queue()

    def pump():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def run_process(command, tests, results, test_timeout=None):
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    lines = lines_of(proc.stdout)
    current, tail, started = None, [], 0.0
    while True:
        wait = None if current is None or test_timeout is None else max(0.0, started + test_timeout - time.monotonic())
        try:
            line = lines.get(timeout=wait)
        except queue.Empty:  # the current test ran past its limit
            proc.kill()
            proc.wait()
            results[current] = ("timed out", "no result %g s after it started\n" % test_timeout + "".join(tail[-15:]))
            return tests.index(current) + 1 if current in tests else len(tests)
        if line is None:
            break
        if line.startswith(RUN):
            current, tail, started = line[len(RUN):].strip(), [], time.monotonic()
        elif current and (line.startswith(OK) or line.startswith(FAILED) or line.startswith(SKIPPED)):
            outcome = "passed" if line.startswith(OK) else ("skipped" if line.startswith(SKIPPED) else "failed")
            results[current] = (outcome, "".join(tail[-30:]))
            current = None
        else:
            tail.append(line)
            tail = tail[-30:]
    proc.wait()
    if current is not None:  # died inside `current`
        results[current] = ("crashed", describe_end(proc.returncode) + "\n" + "".join(tail[-15:]))
        return tests.index(current) + 1 if current in tests else len(tests)
    if proc.returncode not in (0, 1):  # died between tests (set-up or tear-down)
        rest = [t for t in tests if t not in results]
        if rest:
            results[rest[0]] = ("crashed", describe_end(proc.returncode) + " before or after the test")
            return tests.index(rest[0]) + 1
    return len(tests)


def main(argv):
    timeouts = [a for a in argv[1:] if a.startswith("--test-timeout=")]
    argv = [a for a in argv if not a.startswith("--test-timeout=")]
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        test_timeout = float(timeouts[-1].split("=", 1)[1]) if timeouts else None
    except ValueError:
        sys.stderr.write("gtest_survive: %s: not a number of seconds\n" % timeouts[-1])
        return 2
    binary, flags = argv[1], [a for a in argv[2:] if not a.startswith("--gtest_brief")]
    list_flags = [a for a in flags if a.startswith("--gtest_filter")]
    tests = list_tests(binary, list_flags)
    if tests is None:
        return 2
    run_flags = [a for a in flags if not a.startswith("--gtest_filter")]
    results, start, restarts = {}, 0, 0
    while start < len(tests):
        start += run_batch(binary, run_flags, tests[start:], results, test_timeout)
        if start < len(tests):
            restarts += 1
    passed = sum(1 for t in tests if results.get(t, ("",))[0] == "passed")
    skipped = sum(1 for t in tests if results.get(t, ("",))[0] == "skipped")
    bad = [t for t in tests if results.get(t, ("missing",))[0] not in ("passed", "skipped")]
    for t in bad:
        outcome, text = results.get(t, ("missing", "never reported"))
        print("%s %s\n%s" % (outcome.upper(), t, text.rstrip()))
    crashed = sum(1 for t in tests if results.get(t, ("",))[0] in ("crashed", "timed out"))
    if restarts:
        print("%d crashed or timed-out test(s); the binary was restarted %d time(s) after them" % (crashed, restarts))
    print("%d passed, %d failed, %d skipped" % (passed, len(bad), skipped))
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
