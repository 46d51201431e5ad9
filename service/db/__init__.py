"""Storage: the only package that writes SQL. Tables (``models``), the engine and migrations,
the data version, and the reads of figures and their history."""
