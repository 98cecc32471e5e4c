"""Only one job beyond pyproject.toml: put corpus/, rules/ and ui/ into the wheel as assistant/_data/,
so an installed `policy-qa` finds its policies from any directory (a checkout reads them in place)."""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("corpus", "rules", "ui")


class BuildWithData(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout itself
        root = Path(__file__).resolve().parent
        for name in DATA:
            target = Path(self.build_lib) / "assistant" / "_data" / name
            shutil.copytree(root / name, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
