// SPDX-License-Identifier: GPL-2.0-only
/*
 * features: describe the environment it runs in, for the runner, which runs it the
 * way it runs the tests (same --wrap and --preload):
 *   "system<TAB>key<TAB>value" lines: kernel_release, kernel_version, machine, os,
 *   libc, uid, container, test_fs (the filesystem of $TMPDIR, where the cases work);
 *   then one line per registry feature, tab-separated: name, since, status,
 *   errno seen, API, and what the probe observed in words (may be empty).
 * With feature names as arguments, probes only those.
 */
#include <sys/utsname.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif
#include "features.h"

static int file_has(const char *path, const char *needle)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return needle ? strstr(buf, needle) != NULL : 1;
}

/* A best guess at the container or sandbox, with the evidence it rests on. */
static const char *container(const struct utsname *u)
{
	const char *env = getenv("container");

	if (strstr(u->version, "Sun Jan 10 15:06:54 PST 2016"))
		return "gvisor (uname)";	/* runsc's fixed uname */
	if (file_has("/proc/version", "Microsoft") || file_has("/proc/version", "microsoft"))
		return "wsl (/proc/version)";
	if (access("/run/.containerenv", F_OK) == 0)
		return "podman (/run/.containerenv)";
	if (env && *env)
		return env;
	if (file_has("/proc/1/cgroup", "/docker/") || file_has("/proc/1/cgroup", "/kubepods"))
		return "docker (/proc/1/cgroup)";
	if (access("/.dockerenv", F_OK) == 0)
		return "docker (/.dockerenv)";
	return "none";
}

static void os_name(char *out, size_t len)
{
	char line[512];
	FILE *f = fopen("/etc/os-release", "r");

	snprintf(out, len, "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "PRETTY_NAME=", 12)) {
			char *v = line + 12;

			v[strcspn(v, "\n")] = 0;
			if (*v == '"') {
				v++;
				v[strcspn(v, "\"")] = 0;
			}
			snprintf(out, len, "%s", v);
		}
	}
	if (f)
		fclose(f);
}

int main(int argc, char **argv)
{
	struct utsname u;
	char os[512];

	uname(&u);
	os_name(os, sizeof(os));
	printf("system\tkernel_release\t%s\n", u.release);
	printf("system\tkernel_version\t%s\n", u.version);
	printf("system\tmachine\t%s\n", u.machine);
	printf("system\tos\t%s\n", os);
#ifdef __GLIBC__
	printf("system\tlibc\tglibc %s\n", gnu_get_libc_version());
#else
	printf("system\tlibc\tmusl\n");
#endif
	printf("system\tuid\t%u\n", getuid());
	printf("system\tcontainer\t%s\n", container(&u));
	printf("system\ttest_fs\t%s\n", sc_test_fs());
	fflush(stdout);
	for (int i = 0; i < SC_NFEATURES; i++) {
		const struct sc_feature *f;
		int want = argc < 2;

		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], sc_feature_name(i));
		if (!want)
			continue;
		f = sc_feature_id(i);
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", f->name, f->since, sc_status_name(f->status),
		       f->status == SC_SUPPORTED ? "" : sc_probe_errname(f->err), f->api, f->observed);
		fflush(stdout);
	}
	return 0;
}
