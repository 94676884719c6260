"""Reports: the aggregate queries behind /report and the monthly report (no tables)."""
