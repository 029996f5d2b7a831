"""Deterministic sample raw exports, calibrated to the reference reports.

One module per source (``tickets`` …), each with its own calibration file under
``calibration/``; ``generate.generate_samples`` lands them as the upstream systems would.
"""
