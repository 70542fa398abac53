"""Only what pyproject.toml cannot say: every package under engine/ (found, so that a new folder is
never left out of the wheel) and the top-level cli.py, which goes into the wheel as casecheck/cli.py."""

import os

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py


class BuildPy(build_py):
    def run(self):
        super().run()
        if not self.editable_mode:  # an editable install reads cli.py from the checkout (engine/__init__.py)
            self.copy_file("cli.py", os.path.join(self.build_lib, "casecheck", "cli.py"))


PACKAGES = ["casecheck"] + [f"casecheck.{p}" for p in find_namespace_packages("engine", exclude=["*__pycache__*"])] \
    + ["casecheck._bundled.rules", "casecheck._bundled.cases"]

setup(packages=PACKAGES, cmdclass={"build_py": BuildPy})
