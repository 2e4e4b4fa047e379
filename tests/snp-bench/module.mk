# tests/snp-bench: `make bench` figures for the emulated SEV-SNP platform
# (docs/snp-emulation.md, "Benchmark"): the SNP/plain wall-time ratio of the
# same guest workload (tests/snp-guest/70-bench.c) on the pipeline's QEMU.
# Needs the pipeline's QEMU (qemu-patches/module.mk) unless SNP_EMU_QEMU names one.
.PHONY: snp-guest-ratio
snp-guest-ratio: $(if $(SNP_EMU_QEMU),,qemu)
	@$(TOP)/tests/snp-bench/snp-ratio.sh
BENCH_TARGETS += snp-guest-ratio
