#!/usr/bin/python3
"""The erf ODE twice: `twolayer ode`'s right-hand side (C++, Boost.Odeint) against the independent
NumPy implementation the experiment scripts solve fixed points with (tools/experiments/
erf_ode_numpy.py), at one random state with K = 3, M = 2, eta = 0.7, sigma = 0.4 (every term: I3,
I4, J2). The tool's derivative is a Richardson-extrapolated forward difference of its own
integration over 10 and 20 steps at N = 10^4; its error is about 5e-6, so 1e-4 separates a wrong
term (a missing factor moves some entry by far more) from that error.
usage: test_ode_rhs_numpy.py TOOL"""
import os
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tools", "experiments"))
from erf_ode_numpy import check_against_tool  # noqa: E402

with tempfile.TemporaryDirectory() as d:
    worst = check_against_tool(sys.argv[1], d)
print(f"largest relative difference: {worst:.2e}")
if not worst < 1e-4:
    sys.exit(f"FAIL: the two erf ODE implementations differ by {worst:.2e} (> 1e-4)")
print("PASS")
