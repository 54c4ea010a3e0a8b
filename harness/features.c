// SPDX-License-Identifier: GPL-2.0-only
/*
 * features: probe every feature of the registry and print one line each,
 * tab-separated: name, since, status, errno seen, API. The runner runs it the
 * way it runs the tests (same --wrap and --preload), so that the table describes
 * the environment under test. With names as arguments, probes only those.
 */
#include "features.h"

int main(int argc, char **argv)
{
	for (size_t i = 0; i < SC_NFEATURES; i++) {
		struct sc_feature *f = &sc_features[i];
		int want = argc < 2;

		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], f->name);
		if (!want)
			continue;
		sc_probe(f);
		printf("%s\t%s\t%s\t%s\t%s\n", f->name, f->since, sc_status_name(f->status),
		       f->status == SC_SUPPORTED ? "" : sc_probe_errname(f->err), f->api);
		fflush(stdout);
	}
	return 0;
}
