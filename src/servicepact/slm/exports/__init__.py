"""A stored report as files: PDF to sign, XLSX and CSV to work with."""
