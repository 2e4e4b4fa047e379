/* SPDX-License-Identifier: MIT */
/*
 * igvmtool sign: SNP ID block and ID authentication information, written as base64
 * text files (the form of QEMU's sev-snp-guest `id-block` / `id-auth` properties)
 * and/or inserted into an IGVM file as its SNP_ID_BLOCK header.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "tool.h"

static int write_b64(const char *path, const uint8_t *p, size_t n)
{
	size_t cap = 4 * ((n + 2) / 3) + 2;
	unsigned char *b = malloc(cap);
	int len, rc;

	if (!b)
		return tool_error("sign", "out of memory");
	len = EVP_EncodeBlock(b, p, (int)n);
	b[len++] = '\n';
	rc = tool_write_file("sign", path, b, (size_t)len);
	free(b);
	return rc;
}

static void sign_usage(FILE *out)
{
	fprintf(out,
		"usage: igvmtool sign --id-key KEY.pem [options]\n"
		"  --id-key PEM         ECDSA P-384 private key signing the ID block\n"
		"  --author-key PEM     optional ECDSA P-384 author key signing the ID key\n"
		"  --ld HEX             expected launch digest (96 hex digits), or\n"
		"  --igvm FILE          measure FILE for it (and take its SNP guest policy)\n"
		"  --family-id HEX --image-id HEX   16 bytes each (default zero)\n"
		"  --svn N              guest SVN    --policy X   guest policy (default 0x30000)\n"
		"  --id-block-out FILE  --id-auth-out FILE   base64 for QEMU id-block/id-auth\n"
		"  --insert OUT.igvm    copy --igvm FILE with the ID block header set\n"
		"  --json               print the result as JSON\n");
}

int cmd_sign(int argc, char **argv)
{
	static const struct option opts[] = {{"id-key", required_argument, NULL, 1},
					     {"author-key", required_argument, NULL, 2},
					     {"ld", required_argument, NULL, 3},
					     {"igvm", required_argument, NULL, 4},
					     {"family-id", required_argument, NULL, 5},
					     {"image-id", required_argument, NULL, 6},
					     {"svn", required_argument, NULL, 7},
					     {"policy", required_argument, NULL, 8},
					     {"id-block-out", required_argument, NULL, 9},
					     {"id-auth-out", required_argument, NULL, 10},
					     {"insert", required_argument, NULL, 11},
					     {"json", no_argument, NULL, 'j'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct cigvm_sign_opts so = {.policy = 0x30000};
	const char *igvm = NULL, *blk_out = NULL, *auth_out = NULL, *insert = NULL;
	bool have_ld = false, have_policy = false, json = false;
	uint8_t id_block[CIGVM_ID_BLOCK_SIZE], *id_auth = NULL;
	struct cigvm_error err;
	cigvm_file *f = NULL;
	uint64_t v;
	int c, rc = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (c) {
		case 1:
			so.id_key_pem = optarg;
			break;
		case 2:
			so.author_key_pem = optarg;
			break;
		case 3:
			if (!tool_unhex(optarg, so.ld, sizeof(so.ld)))
				return tool_error("sign", "--ld needs 96 hex digits");
			have_ld = true;
			break;
		case 4:
			igvm = optarg;
			break;
		case 5:
		case 6:
			if (!tool_unhex(optarg, c == 5 ? so.family_id : so.image_id, 16))
				return tool_error("sign", "--%s needs 32 hex digits",
						  opts[c - 1].name);
			break;
		case 7:
		case 8:
			if (!tool_parse_u64(optarg, &v) || (c == 7 && v > UINT32_MAX))
				return tool_error("sign", "'%s' is not a valid number", optarg);
			if (c == 7)
				so.guest_svn = (uint32_t)v;
			else {
				so.policy = v;
				have_policy = true;
			}
			break;
		case 9:
			blk_out = optarg;
			break;
		case 10:
			auth_out = optarg;
			break;
		case 11:
			insert = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			sign_usage(stdout);
			return 0;
		default:
			sign_usage(stderr);
			return 2;
		}
	}
	if (optind != argc || !so.id_key_pem || have_ld == (igvm != NULL) || (insert && !igvm) ||
	    (!blk_out && !auth_out && !insert && !json)) {
		sign_usage(stderr);
		return 2;
	}
	if (igvm) {
		if (cigvm_open(igvm, 0, &f, &err))
			return tool_cigvm_error("sign", &err);
		if (cigvm_measure_igvm(f, NULL, so.ld, &err)) {
			rc = tool_cigvm_error("sign", &err);
			goto out;
		}
		for (size_t i = 0; i < cigvm_header_count(f) && !have_policy; i++) {
			const struct igvm_vhs_guest_policy *gp =
				cigvm_header_guest_policy(cigvm_header_at(f, i));

			if (gp && (gp->compatibility_mask &
				   cigvm_platform_mask(f, IGVM_PLATFORM_SEV_SNP)))
				so.policy = gp->policy;
		}
	}
	id_auth = malloc(CIGVM_ID_AUTH_SIZE);
	if (!id_auth) {
		rc = tool_error("sign", "out of memory");
		goto out;
	}
	if (cigvm_sign(&so, id_block, id_auth, &err)) {
		rc = tool_cigvm_error("sign", &err);
		goto out;
	}
	if (blk_out && write_b64(blk_out, id_block, sizeof(id_block)))
		goto out;
	if (auth_out && write_b64(auth_out, id_auth, CIGVM_ID_AUTH_SIZE))
		goto out;
	if (insert) {
		struct igvm_vhs_snp_id_block ib;
		cigvm_builder *b = NULL;

		if (cigvm_sign_igvm_id_block(id_block, id_auth,
					     cigvm_platform_mask(f, IGVM_PLATFORM_SEV_SNP), &ib,
					     &err) ||
		    cigvm_builder_from_file(f, &ib, &b, &err) ||
		    cigvm_builder_write_file(b, insert, &err)) {
			cigvm_builder_free(b);
			rc = tool_cigvm_error("sign", &err);
			goto out;
		}
		cigvm_builder_free(b);
	}
	if (json) {
		struct json_object *o = json_object_new_object();
		char hex[2 * CIGVM_DIGEST_SIZE + 1], pol[32];

		tool_hex(so.ld, sizeof(so.ld), hex);
		snprintf(pol, sizeof(pol), "0x%llx", (unsigned long long)so.policy);
		json_object_object_add(o, "launch_digest", json_object_new_string(hex));
		json_object_object_add(o, "policy", json_object_new_string(pol));
		json_object_object_add(o, "author_key",
				       json_object_new_boolean(so.author_key_pem != NULL));
		tool_print_json(o);
		json_object_put(o);
	}
	rc = 0;
out:
	free(id_auth);
	cigvm_close(f);
	return rc;
}
