#!/usr/bin/env python3
"""Tests of tools/check_layers.py on small trees written for each case."""
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_layers  # noqa: E402


def tree(files):
    """A temporary tree of {path: text}."""
    root = tempfile.mkdtemp(prefix="check_layers_test_")
    for path, body in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(body)
    return root


BASE = {
    "backends/api/problem.h": "#pragma once\n",
    "conformance/fill.h": '#include "backends/api/problem.h"\n',
    "reports/page.h": '#include "conformance/fill.h"\n',
    "tools/tconv/main.cpp": '#include "reports/page.h"\n#include "backends/api/problem.h"\n',
}


class CheckLayers(unittest.TestCase):
    def test_arrows_down_pass(self):
        violations, edges = check_layers.check(tree(BASE))
        self.assertEqual(violations, [])
        self.assertEqual(edges[("tools/tconv", "reports")], 1)

    def test_an_upward_include_is_named_with_its_line(self):
        violations, _ = check_layers.check(tree({**BASE, "conformance/runner/run.cpp": '// x\n#include "reports/page.h"\n'}))
        self.assertEqual(len(violations), 1)
        self.assertIn("conformance/runner/run.cpp:2: includes reports/page.h: conformance -> reports", violations[0])

    def test_the_program_is_above_reports(self):
        violations, _ = check_layers.check(tree({**BASE, "reports/cmd.cpp": '#include "tools/tconv/commands.h"\n'}))
        self.assertEqual(len(violations), 1)

    def test_tests_may_include_any_layer_but_no_library_includes_a_test(self):
        ok = {**BASE, "backends/api/problem_test.cpp": '#include "conformance/fill.h"\n',
              "backends/testing/reference.h": '#include "conformance/fill.h"\n'}
        self.assertEqual(check_layers.check(tree(ok))[0], [])
        bad = {**ok, "conformance/fill.cpp": '#include "backends/testing/reference.h"\n'}
        self.assertEqual(len(check_layers.check(tree(bad))[0]), 1)

    def test_the_command_fails_and_draws(self):
        root = tree({**BASE, "backends/api/x.cpp": '#include "conformance/fill.h"\n'})
        dot = os.path.join(root, "layers.dot")
        run = subprocess.run([sys.executable, check_layers.__file__, root, "--dot", dot], capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertIn("backends/api/x.cpp:1", run.stdout)
        with open(dot, encoding="utf-8") as f:
            self.assertIn('"backends/api" -> "conformance"', f.read())

    def test_the_svg_has_a_box_per_folder_and_an_arrow_per_edge_red_when_it_points_up(self):
        import xml.etree.ElementTree as ET
        _, edges = check_layers.check(tree({**BASE, "backends/api/x.cpp": '#include "conformance/fill.h"\n'}))
        picture = ET.fromstring(check_layers.svg(edges))
        ns = "{http://www.w3.org/2000/svg}"
        labels = {t.text for t in picture.iter(ns + "text")}
        self.assertTrue({"tools/tconv", "reports", "conformance", "backends/api"} <= labels)
        arrows = {line.find(ns + "title").text: line.get("stroke") for line in picture.iter(ns + "line")}
        self.assertEqual(arrows["tools/tconv includes reports (1)"], "#999")
        self.assertEqual(arrows["backends/api includes conformance (1)"], "#d00")


if __name__ == "__main__":
    unittest.main()
