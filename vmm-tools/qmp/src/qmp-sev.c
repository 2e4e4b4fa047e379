// SPDX-License-Identifier: MIT
/*
 * query-sev and query-sev-capabilities (QEMU qapi/misc-target.json: SevInfo,
 * SevGuestInfo, SevSnpGuestInfo, SevCapability).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qmp.h"

static char *dup_member(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static bool int_member(json_object *obj, const char *key, int64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		return false;
	*out = json_object_get_int64(v);
	return true;
}

void qmp_sev_caps_free(struct qmp_sev_caps *caps)
{
	if (caps == NULL)
		return;
	free(caps->pdh);
	free(caps->cert_chain);
	free(caps->cpu0_id);
	memset(caps, 0, sizeof(*caps));
}

int qmp_query_sev_capabilities(struct qmp_conn *c, struct qmp_sev_caps *caps)
{
	json_object *ret = NULL;

	if (caps == NULL)
		return QMP_ERR_ARG;
	memset(caps, 0, sizeof(*caps));
	int rc = qmp_execute(c, "query-sev-capabilities", NULL, &ret);
	if (rc != QMP_OK)
		return rc;

	/* All five members are mandatory in SevCapability. */
	caps->pdh = dup_member(ret, "pdh");
	caps->cert_chain = dup_member(ret, "cert-chain");
	caps->cpu0_id = dup_member(ret, "cpu0-id");
	bool ok = caps->pdh && caps->cert_chain && caps->cpu0_id &&
		  int_member(ret, "cbitpos", &caps->cbitpos) &&
		  int_member(ret, "reduced-phys-bits", &caps->reduced_phys_bits);
	json_object_put(ret);
	if (!ok) {
		qmp_sev_caps_free(caps);
		return QMP_ERR_PROTOCOL;
	}
	return QMP_OK;
}

int qmp_query_sev(struct qmp_conn *c, struct qmp_sev_info *info)
{
	json_object *ret = NULL, *v;
	int64_t n;

	if (info == NULL)
		return QMP_ERR_ARG;
	memset(info, 0, sizeof(*info));
	int rc = qmp_execute(c, "query-sev", NULL, &ret);
	if (rc != QMP_OK)
		return rc;

	rc = QMP_ERR_PROTOCOL;
	if (!json_object_object_get_ex(ret, "enabled", &v) ||
	    !json_object_is_type(v, json_type_boolean))
		goto out;
	info->enabled = json_object_get_boolean(v);
	if (!int_member(ret, "api-major", &n) || n < 0 || n > UINT8_MAX)
		goto out;
	info->api_major = (uint8_t)n;
	if (!int_member(ret, "api-minor", &n) || n < 0 || n > UINT8_MAX)
		goto out;
	info->api_minor = (uint8_t)n;
	if (!int_member(ret, "build-id", &n) || n < 0 || n > UINT8_MAX)
		goto out;
	info->build_id = (uint8_t)n;
	if (!json_object_object_get_ex(ret, "state", &v) ||
	    !json_object_is_type(v, json_type_string))
		goto out;
	snprintf(info->state, sizeof(info->state), "%s", json_object_get_string(v));

	/* "sev-type" exists since QEMU 9.1; before it every guest was SEV(-ES). */
	const char *type = "sev";
	if (json_object_object_get_ex(ret, "sev-type", &v))
		type = json_object_get_string(v);
	if (strcmp(type, "sev-snp") == 0) {
		info->type = QMP_SEV_TYPE_SNP;
		if (!json_object_object_get_ex(ret, "snp-policy", &v) ||
		    !json_object_is_type(v, json_type_int))
			goto out;
		info->policy = json_object_get_uint64(v);
	} else if (strcmp(type, "sev") == 0) {
		info->type = QMP_SEV_TYPE_SEV;
		if (!int_member(ret, "policy", &n) || n < 0 || n > UINT32_MAX)
			goto out;
		info->policy = (uint64_t)n;
		if (!int_member(ret, "handle", &n) || n < 0 || n > UINT32_MAX)
			goto out;
		info->handle = (uint32_t)n;
	} else {
		goto out;
	}
	rc = QMP_OK;
out:
	json_object_put(ret);
	return rc;
}
