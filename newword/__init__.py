"""newword: unsupervised discovery of new Chinese words, as DuckDB SQL."""

__version__ = "0.1.0"
