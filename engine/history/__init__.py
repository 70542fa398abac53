"""Findings over time: one identity for a finding across runs (identity), the history of each
finding read back from a findings database (reader, lives), one run read back (runs), and the
`history` command's writers."""
