# sysconform: every tests/<topic>/<facet>.c becomes build/tests/<topic>/<facet>.
#   make            build everything (fetches kselftest_harness.h once, see harness/ksft.sh)
#   make check      the project's own tests (harness/check.pl)
#   make bench      time a clean build and full runs (harness/bench.sh)
#   make flakes     20 full runs with the CPUs loaded; lists unstable cases (harness/soak.sh)
#   make soak       the same, 50 runs (N=...), also measuring descriptors, memory, leftovers
#   make coverage   rule IDs of RULES.md that no case covers yet
#   make gradescope the Gradescope autograder zip (WEIGHTS=FILE PER_CASE=1 TIMEOUT=S GRADESCOPE_ZIP=PATH)
#   make STATIC=1   static test programs (for qemu-user, guests), in build/static
#   make CC=clang B=build/clang     another compiler, another tree
#   make CC=musl-gcc B=build/musl   musl (Debian's musl-tools; the kernel headers are linked in)
#   make install INSTALL_PATH=DIR   a kselftest tree: DIR/run_kselftest.sh runs collection
#                   sysconform (harness/ksft-install.sh; docs/DESIGN.md "kselftest")
# Variables: KSFT_PACKAGE (default linux-source-6.12), KSFT_DIR or KSRC (where
# kselftest_harness.h comes from: harness/ksft.sh), CC, B, V=1.

CC      ?= cc
B       ?= $(if $(STATIC),build/static,build)
KSFT    := $(B)/ksft
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -iquote harness -isystem $(KSFT)
# clang warns about the unused "variant" parameter that the harness's TEST() declares.
CFLAGS  += $(if $(findstring clang,$(CC)),-Wno-unused-parameter)
LDFLAGS += $(if $(STATIC),-static)
LDLIBS  += -lpthread
Q       := $(if $(V),,@)
KSFT_PACKAGE ?= linux-source-6.12
export KSFT_PACKAGE

SRCS    := $(sort $(wildcard tests/*/*.c))
PROGS   := $(SRCS:%.c=$(B)/%)
MUTANTS := $(patsubst fixtures/mutants/%.c,$(B)/mutants/%.so,$(wildcard fixtures/mutants/*.c))
STUDENTS := $(patsubst fixtures/student/%.c,$(B)/student/%.so,$(wildcard fixtures/student/*.c))
ENVS    := $(patsubst fixtures/env/%.c,$(B)/env/%.so,$(wildcard fixtures/env/*.c))
TOOLS   := $(addprefix $(B)/harness/,sc-run sc-batch features sc-exec-helper)

# Topics whose programs need a library found by pkg-config: NEEDS.<topic> := <pkg>.
# When the library is missing, the program is built as a stub that reports every
# case skipped with "not built: <pkg> missing". Under musl-gcc (UAPI set) the
# system's pkg-config describes glibc builds: the library counts as missing.
NEEDS.io_uring := liburing
NEEDS.caps     := libcap
pkg_ok   = $(shell pkg-config --exists $(1) 2>/dev/null && echo yes)
topic_of = $(word 2,$(subst /, ,$(1)))

# Debian's musl-gcc has no kernel headers of its own: give it the system's uapi ones.
ifneq ($(findstring musl-gcc,$(CC)),)
UAPI    := $(B)/musl-uapi
CFLAGS  += -isystem $(UAPI)
HDRS    := $(UAPI)/linux
endif

.PHONY: all tests mutants tools check bench flakes soak coverage clean install
all: tools tests mutants
tests: $(PROGS)
mutants: $(MUTANTS) $(STUDENTS) $(ENVS)
tools: $(TOOLS)

# The headers again, and every program rebuilt, when their source changes (KSFT_PACKAGE,
# KSFT_DIR, KSRC): $(KSFT)/FROM names it and changes only then (written as the Makefile is
# read, so that `make -n` sees an up-to-date tree as one).
KSFT_FROM := $(KSFT_PACKAGE) $(KSFT_DIR) $(KSRC)
$(shell mkdir -p $(KSFT) && echo '$(KSFT_FROM)' | cmp -s - $(KSFT)/FROM || echo '$(KSFT_FROM)' > $(KSFT)/FROM)

$(KSFT)/kselftest_harness.h: $(KSFT)/FROM
	$(Q)harness/ksft.sh $(KSFT)

$(UAPI)/linux:
	@mkdir -p $(UAPI)
	$(Q)ln -sfn /usr/include/linux $(UAPI)/linux
	$(Q)ln -sfn /usr/include/asm-generic $(UAPI)/asm-generic
	$(Q)ln -sfn /usr/include/$$(gcc -dumpmachine)/asm $(UAPI)/asm

# The feature probes, compiled once, linked into every test program and `features`.
PROBES  := $(B)/harness/probes.o
$(PROBES): harness/probes.c $(KSFT)/kselftest_harness.h | $(HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/harness/features: harness/features.c $(PROBES) $(KSFT)/kselftest_harness.h | $(HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(PROBES) $(LDLIBS)

$(B)/harness/%: harness/%.c $(KSFT)/kselftest_harness.h | $(HDRS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(LDLIBS)

.SECONDEXPANSION:
$(B)/tests/%: tests/%.c $(PROBES) $(KSFT)/kselftest_harness.h | $(HDRS)
	@mkdir -p $(@D)
	$(Q)set -e; pkg='$(NEEDS.$(call topic_of,$<))'; \
	if [ -z "$$pkg" ]; then \
		$(CC) $(CFLAGS) -MMD -MP $(LDFLAGS) -o $@ $< $(PROBES) $(LDLIBS); \
	elif [ -z '$(UAPI)' ] && pkg-config --exists $$pkg 2>/dev/null; then \
		$(CC) $(CFLAGS) $$(pkg-config --cflags $$pkg) -MMD -MP $(LDFLAGS) -o $@ $< $(PROBES) \
			$$(pkg-config --libs $$pkg) $(LDLIBS); \
	else \
		echo "  not built: $$pkg missing: $< (install its -dev package)" >&2; \
		$(CC) $(CFLAGS) -DSC_NOT_BUILT='"'$$pkg'"' $(LDFLAGS) -o $@ harness/not-built.c; \
	fi

$(B)/mutants/%.so: fixtures/mutants/%.c fixtures/mutants/mutant.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(filter-out -isystem $(KSFT),$(CFLAGS)) -fPIC -shared -o $@ $< -ldl

$(B)/env/%.so: fixtures/env/%.c fixtures/mutants/mutant.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(filter-out -isystem $(KSFT),$(CFLAGS)) -fPIC -shared -o $@ $< -ldl

$(B)/student/%.so: fixtures/student/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(filter-out -isystem $(KSFT),$(CFLAGS)) -fPIC -shared -o $@ $< -ldl -lpthread

check: all
	$(Q)harness/check.pl

install: tools tests
	$(if $(INSTALL_PATH),,$(error set INSTALL_PATH to use install))
	$(Q)harness/ksft-install.sh "$(INSTALL_PATH)" $(B) $(PROGS)

bench: all
	$(Q)harness/bench.sh

flakes: all
	$(Q)N=$${N:-20} harness/soak.sh

soak: all
	$(Q)harness/soak.sh

coverage:
	$(Q)./run.sh coverage

clean:
	rm -rf build

# (the compiler's dependency files only: build/ also holds other trees, e.g. the roots of
# harness/distro-run.sh, whose /etc/rc2.d are no make files)
-include $(shell find $(B)/harness $(B)/tests -name '*.d' -type f 2>/dev/null)

# --- qemu guests (./run.sh --kernel, harness/qemu-run) ---------------------------
# sc-init, the guest's PID 1, from harness/sc-init.c (the generic harness rule);
# only the static build needs it: it runs in an initramfs without a libc.
ifneq ($(STATIC),)
tools: $(B)/harness/sc-init
endif

# --- the Gradescope autograder bundle (harness/gradescope/, README.md "Grading") ---------
WEIGHTS        ?= fixtures/grading/default.weights
GRADESCOPE_ZIP ?= build/gradescope/autograder.zip
.PHONY: gradescope
gradescope: $(KSFT)/kselftest_harness.h
	$(Q)harness/gradescope/bundle.sh '$(GRADESCOPE_ZIP)' '$(WEIGHTS)' '$(or $(PER_CASE),0)' '$(or $(TIMEOUT),10)' '$(KSFT)'
