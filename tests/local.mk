# Unit tests (Check) and integration scripts.

# Integration tests: shell scripts that mount a fresh memcgfs.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	srcdir='$(srcdir)'; export srcdir; \
	MEMCGFS='$(abs_builddir)/memcgfs'; export MEMCGFS; \
	MEMCGCTL='$(abs_builddir)/memcgctl'; export MEMCGCTL; \
	MEMCG_EVENT='$(abs_builddir)/examples/memcg_event'; export MEMCG_EVENT;

INTEGRATION_TESTS = \
	tests/integration/oom.sh \
	tests/integration/files.sh \
	tests/integration/examples.sh \
	tests/integration/v1_events.sh \
	tests/integration/scenarios.sh

TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += tests/lib.sh $(INTEGRATION_TESTS)

include tests/unit/local.mk
