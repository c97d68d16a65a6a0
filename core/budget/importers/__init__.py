"""Importers for the files the bureaus send (finance, tax, social security, state assets, audit)."""

from core.budget.importers.engine import ImportResult, Problem, import_file
from core.budget.importers.specs import SPECS, FileSpec

__all__ = ["SPECS", "FileSpec", "ImportResult", "Problem", "import_file"]
