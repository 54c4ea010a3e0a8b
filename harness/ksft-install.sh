#!/bin/sh
# make install INSTALL_PATH=DIR: the suite as a kselftest collection named sysconform,
# laid out as the kernel's `make -C tools/testing/selftests install` lays out its own:
#   DIR/run_kselftest.sh, DIR/kselftest/   the kernel's runner (harness/ksft.sh --tools:
#                                          the source of the build's kselftest_harness.h)
#   DIR/kselftest-list.txt                 sysconform:TOPIC-FILE, one line per program
#                                          (other collections' lines kept)
#   DIR/sysconform/TOPIC-FILE              the test programs, and the helpers they run
#                                          (sc-exec-helper), found beside them
#   DIR/sysconform/settings                timeout=30 (./run.sh's per-program default)
#   DIR/sysconform/config                  the kernel options the features need
#   DIR/man/man1/sysconform.1              the man page, when docs/ has it
# Relocatable: nothing in it names DIR. Run: DIR/run_kselftest.sh -c sysconform
#   usage: ksft-install.sh DIR BUILD PROGRAM...   (BUILD/tests/TOPIC/FILE)
set -eu
dir=${1:?usage: ksft-install.sh INSTALL_PATH BUILD PROGRAM...}
build=${2:?usage: ksft-install.sh INSTALL_PATH BUILD PROGRAM...}
shift 2
tools=$(harness/ksft.sh --tools)
col="$dir/sysconform"
mkdir -p "$dir/kselftest" "$col"
install -m 744 "$tools/selftests/run_kselftest.sh" "$dir/"
install -m 744 "$tools"/selftests/kselftest/* "$dir/kselftest/"
list=
for p in "$@"; do
	name=$(echo "${p#"$build/tests/"}" | tr / -)
	install -m 755 "$p" "$col/$name"
	list="$list${list:+
}sysconform:$name"
done
install -m 755 "$build/harness/sc-exec-helper" "$col/"
{ if [ -f "$dir/kselftest-list.txt" ]; then grep -v '^sysconform:' "$dir/kselftest-list.txt" || true; fi
  echo "$list"; } > "$dir/kselftest-list.txt.new"
mv "$dir/kselftest-list.txt.new" "$dir/kselftest-list.txt"
printf '# ./run.sh --timeout default: seconds for one program\ntimeout=30\n' > "$col/settings"

# The kernel options each feature of harness/features.h needs ("-": none of its own),
# and those every run needs (base). A feature without a line stops the install.
options() {
	cat <<'TABLE'
base CONFIG_PROC_FS CONFIG_TMPFS CONFIG_SHMEM CONFIG_NET CONFIG_UNIX CONFIG_INET CONFIG_FILE_LOCKING CONFIG_MULTIUSER CONFIG_EXT4_FS
pread_pwrite - 
sendfile -
epoll CONFIG_EPOLL
epollexclusive CONFIG_EPOLL
epoll_pwait2 CONFIG_EPOLL
o_cloexec -
f_dupfd_cloexec -
flags_2627 CONFIG_EPOLL
signalfd CONFIG_SIGNALFD
timerfd CONFIG_TIMERFD
eventfd CONFIG_EVENTFD
inotify CONFIG_INOTIFY_USER
in_mask_create CONFIG_INOTIFY_USER
fanotify CONFIG_FANOTIFY
dnotify CONFIG_DNOTIFY
name_to_handle_at CONFIG_FHANDLE
f_dupfd_query -
futex CONFIG_FUTEX
prctl -
kcmp CONFIG_KCMP
getcpu -
sched_affinity -
rusage_thread -
keepcaps -
file_caps -
pdeathsig -
subreaper -
no_new_privs -
recvmmsg -
sendmmsg -
so_domain -
so_rcvbufforce -
tcp_cork -
tcp_defer_accept -
mremap_fixed -
remap_file_pages -
madv_dontfork -
madv_wipeonfork -
process_vm CONFIG_CROSS_MEMORY_ATTACH
listmount -
mntns CONFIG_NAMESPACES
userns CONFIG_NAMESPACES CONFIG_USER_NS
pidns CONFIG_NAMESPACES CONFIG_PID_NS
utsns CONFIG_NAMESPACES CONFIG_UTS_NS
ipcns CONFIG_NAMESPACES CONFIG_IPC_NS CONFIG_SYSVIPC
netns CONFIG_NAMESPACES CONFIG_NET_NS
setns CONFIG_NAMESPACES
o_path -
o_tmpfile -
openat2 -
close_range -
pidfd -
memfd CONFIG_MEMFD_CREATE
copy_file_range -
fallocate -
seek_data -
ofd_locks CONFIG_FILE_LOCKING
pipe_size -
pipe_packet -
splice -
statx -
renameat2 -
preadv2 -
io_uring CONFIG_IO_URING
map_fixed_noreplace -
user_xattr CONFIG_TMPFS_XATTR CONFIG_EXT4_FS
pid_for_children CONFIG_PID_NS
ns_last_pid CONFIG_CHECKPOINT_RESTORE
memfd_secret CONFIG_SECRETMEM
posix_shm CONFIG_TMPFS CONFIG_SHMEM
sysv_shm CONFIG_SYSVIPC
memfd_noexec CONFIG_MEMFD_CREATE
seal_future_write CONFIG_MEMFD_CREATE
fanotify_unpriv CONFIG_FANOTIFY
sendfile_any_fd -
TABLE
}
features=$(sed -n 's/^[[:space:]]*X(\([a-z0-9_]*\),.*/\1/p' harness/features.h)
[ -n "$features" ] || { echo "ksft-install.sh: no features in harness/features.h" >&2; exit 1; }
missing=$(for f in $features; do options | grep -q "^$f " || echo "$f"; done)
if [ -n "$missing" ]; then
	echo "ksft-install.sh: add the kernel options of these features to its table:" $missing >&2
	exit 1
fi
{ echo "# The kernel options sysconform's features need (harness/ksft-install.sh)."
  options | grep -E "^(base|$(echo $features | tr ' ' '|')) " | tr ' ' '\n' | grep '^CONFIG_' | sort -u | sed 's/$/=y/'
} > "$col/config"
if [ -f docs/sysconform.1 ]; then
	mkdir -p "$dir/man/man1"
	install -m 644 docs/sysconform.1 "$dir/man/man1/"
fi
echo "installed collection sysconform ($# programs) in $dir: run it with: cd $dir && ./run_kselftest.sh -c sysconform"
