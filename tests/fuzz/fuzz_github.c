/*
 * fuzz_github.c — libFuzzer target for the pure rules of the GitHub
 * integration (core/github.h): label mapping, closing keywords, reference
 * qualification, the webhook signature check.
 *
 * Invariants:
 *   - gh_labels_map: every input label is mapped, kept or dropped (type,
 *     priority and size at most once each); kept labels pass label_check;
 *     no horizon:* label is kept;
 *   - gh_closing_refs: at most cap numbers, each positive, no repeats;
 *   - gh_qualify_refs: removing each inserted "o/r" gives the input back;
 *   - gh_signature_ok: a header cut from the input never verifies under a
 *     secret the input does not know, and the right signature always does.
 */
#include "core/github.h"

#include <sodium.h>
#include <strings.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size);
	/* labels: the input's lines */
	char *copy = fuzz_cstr(data, size), *save = NULL;
	const char *labels[64];
	size_t n = 0;
	for (char *p = strtok_r(copy, "\n", &save); p && n < 64; p = strtok_r(NULL, "\n", &save))
		labels[n++] = p;
	struct gh_label_map m;
	gh_labels_map(labels, n, &m);
	size_t mapped = (m.type != NULL) + (m.priority != NULL) + (m.pm_size != 0);
	size_t horizons = 0;
	for (size_t k = 0; k < n; k++)
		horizons += strncasecmp(labels[k], "horizon:", 8) == 0;
	FUZZ_ASSERT(mapped + m.nkept + m.dropped + horizons == n, in, "labels lost: %zu+%zu+%zu+%zu != %zu",
		    mapped, m.nkept, m.dropped, horizons, n);
	for (size_t k = 0; k < m.nkept; k++) {
		FUZZ_ASSERT(label_check(m.kept[k], NULL) == 0, in, "kept an invalid label");
		FUZZ_ASSERT(strncasecmp(m.kept[k], "horizon:", 8) != 0, in, "kept a horizon label");
	}
	free(copy);

	int64_t refs[8];
	size_t nr = gh_closing_refs(in, refs, 8);
	FUZZ_ASSERT(nr <= 8, in, "too many refs");
	for (size_t k = 0; k < nr; k++) {
		FUZZ_ASSERT(refs[k] > 0, in, "ref %lld", (long long)refs[k]);
		for (size_t j = 0; j < k; j++)
			FUZZ_ASSERT(refs[j] != refs[k], in, "repeated ref");
	}

	char *q = gh_qualify_refs(in, "o/r");
	FUZZ_ASSERT(q != NULL, in, "NULL");
	/* undo: drop "o/r" right before every "#<digit>" that the input did not have */
	char *back = malloc(strlen(q) + 1), *w = back;
	const char *p = q, *orig = in;
	while (*p) {
		if (!strncmp(p, "o/r#", 4) && strncmp(orig, "o/r#", 4) && p[4] >= '0' && p[4] <= '9')
			p += 3;
		*w++ = *p++;
		orig++;
	}
	*w = '\0';
	FUZZ_ASSERT(strcmp(back, in) == 0, in, "qualified text does not give the input back");
	free(back);
	free(q);

	/* signatures */
	FUZZ_ASSERT(!gh_signature_ok("fuzz-secret-0123456789", in, size, in), in, "input verified itself");
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hdr[7 + 2 * sizeof mac + 1] = "sha256=";
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)"fuzz-secret-0123456789", 22);
	crypto_auth_hmacsha256_update(&st, data, size);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hdr + 7, sizeof hdr - 7, mac, sizeof mac);
	FUZZ_ASSERT(gh_signature_ok("fuzz-secret-0123456789", in, size, hdr), in, "the right signature failed");
	FUZZ_ASSERT(!gh_signature_ok("fuzz-secret-0123456780", in, size, hdr), in, "another secret verified");
	free(in);
	return 0;
}
