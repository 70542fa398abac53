"""Only what pyproject.toml cannot say: the top-level cli.py goes into the wheel as casecheck/cli.py."""

import os

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:  # an editable install reads cli.py from the checkout (engine/__init__.py)
            self.copy_file("cli.py", os.path.join(self.build_lib, "casecheck", "cli.py"))


setup(cmdclass={"build_py": BuildPy})
