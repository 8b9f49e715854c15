# Unit tests (Check) and integration scripts.
