"""Pure code shared by the definitions, the report, the sample generator and the benchmarks.

Nothing here imports Dagster, dbt or the report's rendering stack: importing it is cheap.
"""
