"""The work behind each command of the command line (cli.py parses the options and hands over)."""
