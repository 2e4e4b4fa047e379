/* SPDX-License-Identifier: MIT */
/*
 * SNP ID block and ID authentication information (ABI 56860 SNP_LAUNCH_FINISH, tables
 * "ID Block" and "ID Authentication Information Structure"; signature and public key
 * formats from the ABI appendix "Digital Signatures": ECDSA P-384 with SHA-384, R/S and
 * QX/QY as little-endian integers zero-extended to 72 bytes, curve 2 = P-384).
 * OpenSSL does every cryptographic operation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sev/snp-firmware.h>

#include "internal.h"

_Static_assert(CIGVM_ID_BLOCK_SIZE == sizeof(struct snp_id_block), "ID block size");
_Static_assert(CIGVM_ID_AUTH_SIZE == sizeof(struct snp_id_auth_info), "ID auth size");

static int load_key(const char *path, EVP_PKEY **out, struct cigvm_error *err)
{
	FILE *fp = fopen(path, "r");
	EVP_PKEY *k;
	char group[64] = "";
	size_t glen = 0;

	if (!fp)
		return cigvm_fail(err, CIGVM_ERR_IO, -1, "%s: cannot open", path);
	k = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
	fclose(fp);
	if (!k)
		return cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "%s: not a PEM private key", path);
	if (EVP_PKEY_get_base_id(k) != EVP_PKEY_EC ||
	    !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					    &glen) ||
	    strcmp(group, "secp384r1") != 0) {
		EVP_PKEY_free(k);
		return cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "%s: not an ECDSA P-384 key", path);
	}
	*out = k;
	return CIGVM_OK;
}

static int bn_le72(BIGNUM *bn, uint8_t out[72])
{
	return BN_bn2lebinpad(bn, out, 72) == 72 ? 0 : -1;
}

static int pubkey(EVP_PKEY *k, struct snp_ecdsa_pubkey *pk)
{
	BIGNUM *x = NULL, *y = NULL;
	int rc = -1;

	memset(pk, 0, sizeof(*pk));
	pk->curve = SNP_ECDSA_CURVE_P384;
	if (EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_X, &x) &&
	    EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_EC_PUB_Y, &y) && !bn_le72(x, pk->qx) &&
	    !bn_le72(y, pk->qy))
		rc = 0;
	BN_free(x);
	BN_free(y);
	return rc;
}

static int sign(EVP_PKEY *k, const void *msg, size_t len, struct snp_ecdsa_sig *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[256];
	const unsigned char *p = der;
	size_t dlen = sizeof(der);
	ECDSA_SIG *es = NULL;
	int rc = -1;

	memset(sig, 0, sizeof(*sig));
	if (ctx && EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, k) == 1 &&
	    EVP_DigestSign(ctx, der, &dlen, msg, len) == 1 &&
	    (es = d2i_ECDSA_SIG(NULL, &p, (long)dlen)) != NULL &&
	    !bn_le72((BIGNUM *)ECDSA_SIG_get0_r(es), sig->r) &&
	    !bn_le72((BIGNUM *)ECDSA_SIG_get0_s(es), sig->s))
		rc = 0;
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return rc;
}

int cigvm_sign(const struct cigvm_sign_opts *o, uint8_t id_block[CIGVM_ID_BLOCK_SIZE],
	       uint8_t id_auth[CIGVM_ID_AUTH_SIZE], struct cigvm_error *err)
{
	struct snp_id_block blk;
	struct snp_id_auth_info *auth;
	EVP_PKEY *idk = NULL, *ak = NULL;
	int rc;

	if (!o || !o->id_key_pem || !id_block || !id_auth)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "an ID key is required");
	rc = load_key(o->id_key_pem, &idk, err);
	if (!rc && o->author_key_pem)
		rc = load_key(o->author_key_pem, &ak, err);
	if (rc)
		goto out;
	memset(&blk, 0, sizeof(blk));
	memcpy(blk.ld, o->ld, sizeof(blk.ld));
	memcpy(blk.family_id, o->family_id, sizeof(blk.family_id));
	memcpy(blk.image_id, o->image_id, sizeof(blk.image_id));
	blk.version = SNP_ID_BLOCK_VERSION;
	blk.guest_svn = o->guest_svn;
	blk.policy = o->policy;
	auth = calloc(1, sizeof(*auth));
	if (!auth) {
		rc = cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
		goto out;
	}
	auth->id_key_algo = SNP_SIG_ALGO_ECDSA_P384_SHA384;
	if (sign(idk, &blk, sizeof(blk), &auth->id_block_sig) || pubkey(idk, &auth->id_key))
		rc = cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "signing the ID block failed");
	if (!rc && ak) {
		auth->auth_key_algo = SNP_SIG_ALGO_ECDSA_P384_SHA384;
		if (sign(ak, &auth->id_key, sizeof(auth->id_key), &auth->id_key_sig) ||
		    pubkey(ak, &auth->author_key))
			rc = cigvm_fail(err, CIGVM_ERR_CRYPTO, -1, "signing the ID key failed");
	}
	if (!rc) {
		memcpy(id_block, &blk, sizeof(blk));
		memcpy(id_auth, auth, sizeof(*auth));
	}
	free(auth);
out:
	EVP_PKEY_free(idk);
	EVP_PKEY_free(ak);
	return rc;
}

int cigvm_sign_igvm_id_block(const uint8_t id_block[CIGVM_ID_BLOCK_SIZE],
			     const uint8_t id_auth[CIGVM_ID_AUTH_SIZE], uint32_t compatibility_mask,
			     struct igvm_vhs_snp_id_block *out, struct cigvm_error *err)
{
	struct snp_id_block blk;
	struct snp_id_auth_info *auth;

	if (!id_block || !id_auth || !out)
		return cigvm_fail(err, CIGVM_ERR_INVALID_ARG, -1, "invalid argument");
	auth = malloc(sizeof(*auth));
	if (!auth)
		return cigvm_fail(err, CIGVM_ERR_NOMEM, -1, "out of memory");
	memcpy(&blk, id_block, sizeof(blk));
	memcpy(auth, id_auth, sizeof(*auth));
	memset(out, 0, sizeof(*out));
	out->compatibility_mask = compatibility_mask;
	out->author_key_enabled = auth->auth_key_algo != SNP_SIG_ALGO_INVALID;
	memcpy(out->ld, blk.ld, sizeof(out->ld));
	memcpy(out->family_id, blk.family_id, sizeof(out->family_id));
	memcpy(out->image_id, blk.image_id, sizeof(out->image_id));
	out->version = blk.version;
	out->guest_svn = blk.guest_svn;
	out->id_key_algorithm = auth->id_key_algo;
	out->author_key_algorithm = auth->auth_key_algo;
	memcpy(out->id_key_signature.r_comp, auth->id_block_sig.r, 72);
	memcpy(out->id_key_signature.s_comp, auth->id_block_sig.s, 72);
	out->id_public_key.curve = auth->id_key.curve;
	memcpy(out->id_public_key.qx, auth->id_key.qx, 72);
	memcpy(out->id_public_key.qy, auth->id_key.qy, 72);
	if (out->author_key_enabled) {
		memcpy(out->author_key_signature.r_comp, auth->id_key_sig.r, 72);
		memcpy(out->author_key_signature.s_comp, auth->id_key_sig.s, 72);
		out->author_public_key.curve = auth->author_key.curve;
		memcpy(out->author_public_key.qx, auth->author_key.qx, 72);
		memcpy(out->author_public_key.qy, auth->author_key.qy, 72);
	}
	free(auth);
	return CIGVM_OK;
}
