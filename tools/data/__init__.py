"""Data in: load files and folders into tables with stable row ids, and profile them."""

from tools.data.dataset import Dataset, Table, load_dataset
from tools.data.profile import ColumnProfile, DatasetProfile, TableProfile, profile_dataset

__all__ = [
    "ColumnProfile",
    "Dataset",
    "DatasetProfile",
    "Table",
    "TableProfile",
    "load_dataset",
    "profile_dataset",
]
