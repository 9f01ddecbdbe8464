# Cairn — build, run and test.  `make run` and `make test` work on a fresh
# Debian machine: they install missing packages first (scripts/deps.sh).

PKGS     := libmicrohttpd jansson sqlite3 libpq libsodium libcmark-gfm libcurl
CC       ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARN) -Isrc -Ibuild/gen $(PKG_CFLAGS) -D_GNU_SOURCE -include src/core/banned.h
LDLIBS   := $(PKG_LIBS) -lcmark-gfm-extensions -lcsv -lpthread -lm
ASAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRC      := $(sort $(wildcard src/*.c src/*/*.c))
WEB      := $(sort $(wildcard src/web/*))
OPENAPI  := docs/openapi.json
OBJ      := $(SRC:%.c=build/obj/%.o) build/obj/web_assets.o build/obj/openapi_doc.o
ASAN_OBJ := $(SRC:%.c=build/asan/obj/%.o) build/asan/obj/web_assets.o build/asan/obj/openapi_doc.o
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

.PHONY: all deps run test unit api e2e asan clean demo-db bench fuzz
all: build/cairn

deps:
	@scripts/deps.sh build

build/cairn: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/cairn: $(ASAN_OBJ)
	$(CC) $(CFLAGS) -O1 $(ASAN) -o $@ $^ $(LDLIBS)

asan: build/asan/cairn

build/obj/%.o: %.c build/gen/web_assets.h | build/gen/openapi_doc.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

build/asan/obj/%.o: %.c build/gen/web_assets.h | build/gen/openapi_doc.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(ASAN) -MMD -MP -c -o $@ $<

build/obj/web_assets.o: build/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/asan/obj/web_assets.o: build/gen/web_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/obj/openapi_doc.o build/asan/obj/openapi_doc.o: build/gen/openapi_doc.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Web assets are embedded in the binary; {{v}} becomes a content hash.
build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

build/gen/web_assets.c build/gen/web_assets.h &: build/embed $(WEB)
	@mkdir -p build/gen
	build/embed build/gen/web_assets $(WEB)

# The OpenAPI document, the same way: served at /api/v1/openapi.json.
build/gen/openapi_doc.c build/gen/openapi_doc.h &: build/embed $(OPENAPI)
	@mkdir -p build/gen
	build/embed build/gen/openapi_doc $(OPENAPI)

# ---- tests -------------------------------------------------------------------
# Unit tests link every module but main (core rules, and store/service on
# real SQLite files), all with ASan+UBSan.
# One object per test file, so make -j compiles them side by side.
UNIT_OBJ := $(UNIT_SRC:%.c=build/asan/obj/%.o)
$(UNIT_OBJ): CFLAGS += -Itests/unit
build/unit: $(UNIT_OBJ) $(filter-out build/asan/obj/src/main.o,$(ASAN_OBJ))
	@mkdir -p build
	$(CC) $(CFLAGS) -O1 $(ASAN) -o $@ $^ $(LDLIBS) -lcriterion

unit: build/unit
	build/unit --jobs 2

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory -j$$(nproc) build/cairn build/asan/cairn build/unit node_modules/.package-lock.json
	@scripts/test.sh

run:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory build/cairn
	@EMPTY=$(EMPTY) scripts/run.sh

# Coverage-guided fuzzing of the parsers and of every endpoint's request
# body (clang + libFuzzer): FUZZ_SECONDS per target, see tests/fuzz/README.md.
# make test runs the same for 6 s each.
FUZZ_SECONDS ?= 30
fuzz:
	@command -v clang >/dev/null || apt-get install -y -qq clang libclang-rt-dev >/dev/null
	@$(MAKE) --no-print-directory build/gen/web_assets.c
	tests/fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
