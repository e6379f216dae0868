"""Reading survey files: SPSS, Stata, CSV/TSV/TXT, Excel and Forms exports, behind ``load()``."""
