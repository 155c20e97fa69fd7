# youthvoice: one plain Makefile.
#
#   make run      install what is missing, build, serve the demo on 127.0.0.1:8080
#   make test     install, build and run every test; ends "N passed, M failed"
#   make SANITIZE=1 test   the same under AddressSanitizer and UBSan
#   make deps     only install the Debian packages the build and tests need
#   make bench    the benchmark (bench/bench.sh): a table, in under 5 minutes

CC      ?= cc
WARN     = -Wall -Wextra -Werror -Wshadow -Wconversion -Wformat=2 \
           -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wimplicit-fallthrough
HARDEN   = -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS  ?= -std=c11 -O2 -g
CPPFLAGS += -D_GNU_SOURCE
LDFLAGS += -pie -Wl,-z,relro,-z,now
LIBS     = -lcivetweb -lsqlite3 -lsodium -lcjson -lpcre2-8 -lpthread -lm

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

.PHONY: all programs deps run test unit http browser bench clean
all: programs $(UNIT_BIN)
programs: $(SERVER) $(EXPORT)

$(BUILD)/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALLFLAGS) -c $< -o $@

$(SERVER): $(call obj,$(SERVER_SRC)) $(SHARED_OBJ) $(EXPORT_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

$(EXPORT): $(call obj,$(EXPORT_SRC)) $(SHARED_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c tests/unit/check.h $(SHARED_OBJ) $(EXPORT_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(ALLFLAGS) $(LDFLAGS) $< $(SHARED_OBJ) $(EXPORT_LIB) $(LIBS) -o $@

deps:
	@bash scripts/install-deps.sh

run: deps
	@$(MAKE) --no-print-directory programs
	./$(SERVER) serve --data ./data --listen 127.0.0.1:8080 --forms ./forms

# Plain `make test` runs every suite on the release build, then the unit and
# HTTP suites again under ASan+UBSan; `make SANITIZE=1 test` runs only the latter.
ifeq ($(SANITIZE),1)
TEST_BUILDS = build-san
else
TEST_BUILDS = build build-san
endif

test: deps
	@for b in $(TEST_BUILDS); do \
		if [ $$b = build-san ]; then $(MAKE) --no-print-directory SANITIZE=1 all || exit 1; \
		else $(MAKE) --no-print-directory SANITIZE= all || exit 1; fi; \
	done
	@BUILDS="$(TEST_BUILDS)" bash tests/run-all.sh

# Pieces of the suite on their own (no install step).
unit: all
	@BUILDS=$(BUILD) bash tests/run-all.sh unit
http: all
	@BUILDS=$(BUILD) bash tests/run-all.sh http
browser: all
	@BUILDS=$(BUILD) bash tests/run-all.sh browser

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
	@$(MAKE) --no-print-directory SANITIZE= programs build/bench/gen build/bench/ceiling
	@bash bench/bench.sh

clean:
	rm -rf build build-san
