#!/usr/bin/env python3
"""Tests of tools/gpu/sass_loop_stats.py's loop finder on SASS text written for each case."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sass_loop_stats  # noqa: E402


def function(name, lines):
    """One function of cuobjdump -sass output: (address, instruction) pairs, 16 bytes apart."""
    body = "\n".join(f"        /*{16 * i:04x}*/                   {text} ;" for i, text in enumerate(lines))
    return f"\n\t\tFunction : {name}\n{body}\n"


def loops(sass):
    return [(name, role, len(body)) for name, role, body in sass_loop_stats.loops(sass)]


class LoopFinder(unittest.TestCase):
    def test_the_largest_loop_holding_multiply_adds(self):
        sass = function("k", ["MOV R1, R2", "HMMA.16816 R4, R8, R12, R4", "IADD3 R1, R1, 1, RZ",
                              "BRA 0x10", "FFMA R1, R2, R3, R4", "BRA 0x40", "EXIT"])
        # 0x50 branches back to 0x40: one FFMA; 0x30 back to 0x10: HMMA, IADD3, BRA (3).
        self.assertEqual(loops(sass), [("k", "", 3)])

    def test_a_producer_loop_apart_from_the_multiply_is_reported_on_its_own(self):
        sass = function("ws", ["LDGSTS [R1], [R2.64]", "IADD3 R1, R1, 1, RZ", "BRA 0x0",
                               "HGMMA.64x128x16.F32 R24, gdesc[UR4], R24", "BRA 0x30", "EXIT"])
        self.assertEqual(loops(sass), [("ws", "", 2), ("ws", " (producer)", 3)])

    def test_branches_after_the_last_exit_are_slow_paths_not_loops(self):
        # An mbarrier retry placed after EXIT jumps back over the whole kernel.
        sass = function("k", ["SYNCS.PHASECHK.TRANS64.TRYWAIT P0, [R1], R2", "FFMA R1, R2, R3, R4",
                              "BRA 0x10", "EXIT", "SYNCS.PHASECHK.TRANS64.TRYWAIT P0, [R1], R2", "BRA 0x0"])
        self.assertEqual(loops(sass), [("k", "", 2)])

    def test_a_persistent_kernel_reports_its_k_step_loop_not_its_tile_loop(self):
        # 0x00-0x60 the tile loop (a named barrier, an HGMMA of a remainder step), inside it
        # 0x20-0x40 the k-step loop (an mbarrier wait, the HGMMA).
        sass = function("persistent", ["BAR.SYNC.DEFER_BLOCKING R1, R2", "HGMMA.64x128x16.F32 R24, gdesc[UR4], R24",
                                       "SYNCS.PHASECHK.TRANS64.TRYWAIT P0, [R1], R2",
                                       "HGMMA.64x128x16.F32 R24, gdesc[UR8], R24", "BRA 0x20",
                                       "IADD3 R1, R1, 1, RZ", "BRA 0x0", "EXIT"])
        self.assertEqual(loops(sass), [("persistent", "", 3)])

    def test_a_k_step_loop_is_reported_whole_around_an_unsynchronised_multiply_loop(self):
        # 0x00-0x50 the k-step loop (a barrier, loads), inside it 0x20-0x30 the multiply loop.
        sass = function("gemm", ["LDS R4, [R1]", "BAR.SYNC.DEFER_BLOCKING 0x0", "FFMA R1, R2, R3, R4", "BRA 0x20",
                                 "STS [R1], R4", "BRA 0x0", "EXIT"])
        self.assertEqual(loops(sass), [("gemm", "", 6)])

    def test_a_kernel_without_multiply_adds_has_an_empty_loop(self):
        self.assertEqual(loops(function("copy", ["LDG R1, [R2]", "STG [R3], R1", "BRA 0x0", "EXIT"])), [("copy", "", 0)])


if __name__ == "__main__":
    unittest.main()
