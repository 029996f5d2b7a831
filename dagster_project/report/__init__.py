"""The report's rendering: the month's figures (``data.py``) into the deck's slides (``editions.py``, ``slides.py``,
``slides_2020.py``, ``blocks.py``, ``charts.py``), then HTML and PDF (``render.py``, ``templates/``).

Plain code outside ``defs/``: Dagster's definitions loader imports every module of ``defs/``, and these import
matplotlib and WeasyPrint (about 1 s). The asset that renders (``defs/report/assets.py``) imports them in its step,
and the dbt step imports them in the background while it waits for dbt (``lib/preload.py``).
"""
