"""Dashboards and reports for the commune's leadership (and a village officer's own
villages): key figures, charts with their tables, the periodic report, XLSX exports.

Reads only: no models of its own. ``scope`` says what is counted (villages, ethnic
group, period), ``figures`` computes each block in a bounded number of queries,
``tables`` is the one shape every block returns (a table, optionally drawn as a chart,
always exportable).
"""
