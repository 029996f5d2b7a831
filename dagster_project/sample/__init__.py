"""Deterministic sample raw exports, calibrated to the reference reports.

One module per source (``tickets``, ``chatbot``, ``calls``, ``email_lapor``, ``registers``,
``ppid``, ``advocacy``, ``knowledge_base``), each with its own calibration file under
``calibration/``; ``generate.generate_samples`` lands them as the upstream systems would, for the
report months and the history months that cumulative figures need (``generate.history_months``).
"""
