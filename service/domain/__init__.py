"""Pure rules of the domain, no I/O: the fiscal calendar, the reference data (prefectures,
regions, indicators) and the computations over figures."""
