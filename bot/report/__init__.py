"""The report-back pack: self-contained HTML pages with charts drawn by matplotlib."""
