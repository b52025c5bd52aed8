# tawama — build, run, test, bench. See README.md.
.DEFAULT_GOAL := all
SHELL := /bin/bash

PKGS     := libmicrohttpd sqlite3 jansson libcmark libsodium icu-uc icu-i18n libical libcurl zlib
CC       ?= cc
CSTD     := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wno-unused-parameter
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
INCS     := -Isrc -Ibuild/gen -DTAWAMA_BUILDDIR=\"$(CURDIR)/build\"
DB       ?= var/tawama.db
LISTEN   ?= 127.0.0.1:8080

SRC      := src/main.c $(sort $(wildcard src/*/*.c))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
GEN_SRC  := build/gen/embedded.c
EMBED_IN := $(sort $(wildcard templates/*/*.html templates/*.html static/*.css static/*.js static/*.svg static/*.ico migrations/*.sql))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
LANGS    := ar en fr
MO       := $(foreach l,$(LANGS),build/mo/$(l)/LC_MESSAGES/tawama.mo)
LOCALES  := build/locale/ar_JO.UTF-8/LC_CTYPE build/locale/en_US.UTF-8/LC_CTYPE build/locale/fr_FR.UTF-8/LC_CTYPE

# Release build: build/tawama. Test build (ASan + UBSan): build/san/tawama.
REL_CFLAGS := $(CSTD) $(WARN) -O2 -g $(INCS)
SAN_CFLAGS := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined $(INCS)
REL_OBJ  := $(patsubst %.c,build/obj/%.o,$(SRC) $(GEN_SRC))
SAN_OBJ  := $(patsubst %.c,build/san/obj/%.o,$(SRC) $(GEN_SRC))
SAN_LIB_OBJ := $(filter-out build/san/obj/src/main.o,$(SAN_OBJ))
UNIT_BIN := $(patsubst tests/unit/%.c,build/san/%,$(UNIT_SRC))

.PHONY: po-check all deps deps-test run test test-unit test-http test-browser bench clean format
all: deps build/tawama $(MO) $(LOCALES)

deps:
	@scripts/deps.sh build
deps-test:
	@scripts/deps.sh test

build/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<

$(GEN_SRC): build/embed $(EMBED_IN)
	@mkdir -p $(@D)
	build/embed $(EMBED_IN) > $@.tmp && mv $@.tmp $@

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
build/san/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

build/tawama: $(REL_OBJ)
	$(CC) -g -o $@ $^ $(PKG_LIBS)
build/san/tawama: $(SAN_OBJ)
	$(CC) -fsanitize=address,undefined -o $@ $^ $(PKG_LIBS)
build/san/test_%: tests/unit/test_%.c $(SAN_LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(SAN_LIB_OBJ) $(PKG_LIBS) -lcriterion

build/mo/%/LC_MESSAGES/tawama.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

build/locale/%/LC_CTYPE:
	@mkdir -p build/locale
	localedef -i $(firstword $(subst ., ,$*)) -f UTF-8 build/locale/$* 2>/dev/null || test -f $@

run: all
	@mkdir -p $(dir $(DB))
	build/tawama init --db $(DB)
	@if [ "$$(build/tawama count-events --db $(DB))" = 0 ]; then build/tawama demo --db $(DB); fi
	@echo "tawama: serving http://$(LISTEN)/"
	build/tawama serve --db $(DB) --listen $(LISTEN)

test: deps-test po-check build/san/tawama build/tawama $(UNIT_BIN) $(MO) $(LOCALES)
	@tests/run.sh

bench: all
	@scripts/deps.sh bench
	@bench/run.sh

clean:
	rm -rf build

format:
	clang-format -i $(SRC) $(UNIT_SRC) tools/embed.c

-include $(REL_OBJ:.o=.d) $(SAN_OBJ:.o=.d)

# Every UI string in the sources and templates has a translation in each catalog.
po-check:
	@scripts/pot.sh --check
