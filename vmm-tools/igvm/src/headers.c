/* SPDX-License-Identifier: MIT */
/* Typed access to variable headers, and their names. */
#include "internal.h"

uint32_t cigvm_header_type(const struct cigvm_header *h)
{
	return h->type & ~IGVM_VHT_IGNORABLE_BIT;
}

bool cigvm_type_is_parameter(uint32_t type)
{
	switch (type & ~IGVM_VHT_IGNORABLE_BIT) {
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_SRAT:
	case IGVM_VHT_MADT:
	case IGVM_VHT_MMIO_RANGES:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_COMMAND_LINE:
	case IGVM_VHT_SLIT:
	case IGVM_VHT_PPTT:
	case IGVM_VHT_DEVICE_TREE:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return true;
	default:
		return false;
	}
}

const char *cigvm_header_type_name(uint32_t type)
{
	switch (type & ~IGVM_VHT_IGNORABLE_BIT) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return "SUPPORTED_PLATFORM";
	case IGVM_VHT_GUEST_POLICY:
		return "GUEST_POLICY";
	case IGVM_VHT_RELOCATABLE_REGION:
		return "RELOCATABLE_REGION";
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
		return "PAGE_TABLE_RELOCATION_REGION";
	case IGVM_VHT_PARAMETER_AREA:
		return "PARAMETER_AREA";
	case IGVM_VHT_PAGE_DATA:
		return "PAGE_DATA";
	case IGVM_VHT_PARAMETER_INSERT:
		return "PARAMETER_INSERT";
	case IGVM_VHT_VP_CONTEXT:
		return "VP_CONTEXT";
	case IGVM_VHT_REQUIRED_MEMORY:
		return "REQUIRED_MEMORY";
	case IGVM_VHT_VP_COUNT_PARAMETER:
		return "VP_COUNT_PARAMETER";
	case IGVM_VHT_SRAT:
		return "SRAT";
	case IGVM_VHT_MADT:
		return "MADT";
	case IGVM_VHT_MMIO_RANGES:
		return "MMIO_RANGES";
	case IGVM_VHT_SNP_ID_BLOCK:
		return "SNP_ID_BLOCK";
	case IGVM_VHT_MEMORY_MAP:
		return "MEMORY_MAP";
	case IGVM_VHT_ERROR_RANGE:
		return "ERROR_RANGE";
	case IGVM_VHT_COMMAND_LINE:
		return "COMMAND_LINE";
	case IGVM_VHT_SLIT:
		return "SLIT";
	case IGVM_VHT_PPTT:
		return "PPTT";
	case IGVM_VHT_VBS_MEASUREMENT:
		return "VBS_MEASUREMENT";
	case IGVM_VHT_DEVICE_TREE:
		return "DEVICE_TREE";
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return "ENVIRONMENT_INFO";
	default:
		return "UNKNOWN";
	}
}

#define ACCESSOR(fn, stype, tval)                                                              \
	const struct stype *fn(const struct cigvm_header *h)                                   \
	{                                                                                      \
		if (!h || cigvm_header_type(h) != (tval) || h->length != sizeof(struct stype)) \
			return NULL;                                                           \
		return (const struct stype *)h->body;                                          \
	}

ACCESSOR(cigvm_header_supported_platform, igvm_vhs_supported_platform, IGVM_VHT_SUPPORTED_PLATFORM)
ACCESSOR(cigvm_header_guest_policy, igvm_vhs_guest_policy, IGVM_VHT_GUEST_POLICY)
ACCESSOR(cigvm_header_relocatable_region, igvm_vhs_relocatable_region, IGVM_VHT_RELOCATABLE_REGION)
ACCESSOR(cigvm_header_page_table_relocation, igvm_vhs_page_table_relocation,
	 IGVM_VHT_PAGE_TABLE_RELOCATION_REGION)
ACCESSOR(cigvm_header_parameter_area, igvm_vhs_parameter_area, IGVM_VHT_PARAMETER_AREA)
ACCESSOR(cigvm_header_page_data, igvm_vhs_page_data, IGVM_VHT_PAGE_DATA)
ACCESSOR(cigvm_header_parameter_insert, igvm_vhs_parameter_insert, IGVM_VHT_PARAMETER_INSERT)
ACCESSOR(cigvm_header_vp_context, igvm_vhs_vp_context, IGVM_VHT_VP_CONTEXT)
ACCESSOR(cigvm_header_required_memory, igvm_vhs_required_memory, IGVM_VHT_REQUIRED_MEMORY)
ACCESSOR(cigvm_header_error_range, igvm_vhs_error_range, IGVM_VHT_ERROR_RANGE)
ACCESSOR(cigvm_header_snp_id_block, igvm_vhs_snp_id_block, IGVM_VHT_SNP_ID_BLOCK)

const struct igvm_vhs_parameter *cigvm_header_parameter(const struct cigvm_header *h)
{
	if (!h || !cigvm_type_is_parameter(h->type) ||
	    h->length != sizeof(struct igvm_vhs_parameter))
		return NULL;
	return (const struct igvm_vhs_parameter *)h->body;
}
