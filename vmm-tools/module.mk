# vmm-tools: host-side tools. One section per subdirectory; each section only adds to
# the shared variables (see docs/build.md) and defines its own targets.

# ---------------------------------------------------------------------------
# vmm-tools/igvm: libcigvm (IGVM read/validate/write/measure) and igvmtool.
# See docs/igvm.md.
IGVM_SRC := $(TOP)/vmm-tools/igvm
IGVM_OUT := $(BUILD)/vmm-tools/igvm
IGVM_LIB_SRCS := $(sort $(wildcard $(IGVM_SRC)/src/*.c))
IGVM_TOOL_SRCS := $(sort $(wildcard $(IGVM_SRC)/tool/*.c))
IGVM_CFLAGS := -I$(IGVM_SRC)/include -I$(IGVM_SRC)/src $(shell pkg-config --cflags json-c 2>/dev/null)
IGVM_LIBS := -lcrypto -lz
IGVM_TOOL_LIBS := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c) $(IGVM_LIBS)
IGVM_LIB_OBJS := $(patsubst $(IGVM_SRC)/src/%.c,$(IGVM_OUT)/obj/%.o,$(IGVM_LIB_SRCS))
IGVM_TOOL_OBJS := $(patsubst $(IGVM_SRC)/tool/%.c,$(IGVM_OUT)/obj/tool/%.o,$(IGVM_TOOL_SRCS))
IGVM_SONAME := libcigvm.so.1
IGVM_PUBLIC_HEADERS := $(IGVM_SRC)/include/cigvm.h $(TOP)/include/igvm/igvm-format.h
PREFIX ?= /usr/local

ALL_TARGETS += igvm-lib $(IGVM_OUT)/igvmtool
LINT_HOSTED_SRCS += $(IGVM_LIB_SRCS) $(IGVM_TOOL_SRCS)
LINT_HOSTED_CFLAGS += $(IGVM_CFLAGS)

.PHONY: igvm-lib install-igvm
igvm-lib: $(IGVM_OUT)/libcigvm.a $(IGVM_OUT)/libcigvm.so $(IGVM_OUT)/pkgconfig/cigvm.pc

$(IGVM_OUT)/obj/%.o: $(IGVM_SRC)/src/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -fPIC $(IGVM_CFLAGS) -c -o $@ $<
$(IGVM_OUT)/obj/tool/%.o: $(IGVM_SRC)/tool/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(IGVM_CFLAGS) -c -o $@ $<
-include $(wildcard $(IGVM_OUT)/obj/*.d $(IGVM_OUT)/obj/tool/*.d)

$(IGVM_OUT)/libcigvm.a: $(IGVM_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(IGVM_OUT)/$(IGVM_SONAME): $(IGVM_LIB_OBJS) $(IGVM_SRC)/libcigvm.map
	$(CC) -shared -Wl,-soname,$(IGVM_SONAME) -Wl,--version-script=$(IGVM_SRC)/libcigvm.map \
		-Wl,--no-undefined -o $@ $(IGVM_LIB_OBJS) $(IGVM_LIBS)
$(IGVM_OUT)/libcigvm.so: $(IGVM_OUT)/$(IGVM_SONAME)
	ln -sf $(IGVM_SONAME) $@

# In-tree pkg-config file: headers from the source tree, library from the build tree
# (with an rpath so that in-tree consumers run without LD_LIBRARY_PATH).
$(IGVM_OUT)/pkgconfig/cigvm.pc: $(IGVM_SRC)/cigvm.pc.in $(TOP)/vmm-tools/module.mk
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(IGVM_OUT)|' -e 's|@LIBDIR@|$${prefix}|' \
	    -e 's|@INCLUDEDIR@|$(IGVM_SRC)/include -I$(TOP)/include|' \
	    -e 's|@RPATH@|-Wl,-rpath,$${libdir}|' $< > $@

$(IGVM_OUT)/igvmtool: $(IGVM_TOOL_OBJS) $(IGVM_OUT)/libcigvm.a
	$(CC) -o $@ $(IGVM_TOOL_OBJS) $(IGVM_OUT)/libcigvm.a $(IGVM_TOOL_LIBS)

install-igvm: igvm-lib $(IGVM_OUT)/igvmtool
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include/igvm $(DESTDIR)$(PREFIX)/bin
	install -m 0644 $(IGVM_OUT)/libcigvm.a $(DESTDIR)$(PREFIX)/lib/
	install -m 0755 $(IGVM_OUT)/$(IGVM_SONAME) $(DESTDIR)$(PREFIX)/lib/
	ln -sf $(IGVM_SONAME) $(DESTDIR)$(PREFIX)/lib/libcigvm.so
	install -m 0644 $(IGVM_SRC)/include/cigvm.h $(DESTDIR)$(PREFIX)/include/
	install -m 0644 $(TOP)/include/igvm/igvm-format.h $(DESTDIR)$(PREFIX)/include/igvm/
	install -m 0755 $(IGVM_OUT)/igvmtool $(DESTDIR)$(PREFIX)/bin/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$${prefix}/lib|' \
	    -e 's|@INCLUDEDIR@|$${prefix}/include|' -e 's|@RPATH@||' \
	    $(IGVM_SRC)/cigvm.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/cigvm.pc

# Unit tests (cmocka), built plain and with ASan+UBSan by the top-level rules.
UNIT_TESTS += igvm-unit
igvm-unit_SRCS := $(sort $(wildcard $(IGVM_SRC)/tests/*.c)) $(IGVM_LIB_SRCS)
igvm-unit_CFLAGS := $(IGVM_CFLAGS)
igvm-unit_LIBS := $(IGVM_LIBS)
igvm-unit_DEPS := $(wildcard $(IGVM_SRC)/include/*.h $(IGVM_SRC)/src/*.h) $(TOP)/include/igvm/igvm-format.h

# libFuzzer + ASan target for the parser (clang). `make fuzz` runs it longer.
IGVM_FUZZ := $(IGVM_OUT)/fuzz/fuzz-parse
IGVM_FUZZ_TIME ?= 600
$(IGVM_FUZZ): $(IGVM_SRC)/fuzz/fuzz-parse.c $(IGVM_LIB_SRCS)
	@mkdir -p $(@D)
	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -I$(TOP)/include $(IGVM_CFLAGS) \
		-o $@ $^ $(IGVM_LIBS)
.PHONY: igvm-fuzz igvm-bench
FUZZ_TARGETS += igvm-fuzz
igvm-fuzz: $(IGVM_FUZZ)
	@mkdir -p $(IGVM_OUT)/fuzz/corpus
	$(IGVM_FUZZ) -max_total_time=$(IGVM_FUZZ_TIME) -rss_limit_mb=2048 \
		$(IGVM_OUT)/fuzz/corpus $(IGVM_SRC)/fuzz/corpus

# Benchmark: measure a 256 MiB image vs `openssl dgst -sha384` over the same bytes.
BENCH_TARGETS += igvm-bench
igvm-bench: $(IGVM_OUT)/igvmtool
	@$(IGVM_SRC)/bench/measure-bench.sh $(IGVM_OUT)/igvmtool $(IGVM_OUT)/bench

# ---------------------------------------------------------------------------
# vmm-tools/snp-host: SEV-SNP host check/prepare tool (docs/snp-host.md).
include $(TOP)/vmm-tools/snp-host/snp-host.mk
include $(TOP)/vmm-tools/qmp/qmp.mk
include $(TOP)/vmm-tools/virt/virt.mk
