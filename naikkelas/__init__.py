"""naikkelas: one shared registry and workbench for Indonesia's small and medium industry (IKM)."""

__version__ = "0.1.0"
