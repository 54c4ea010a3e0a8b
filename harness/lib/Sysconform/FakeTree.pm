package Sysconform::FakeTree;
# A small tree of fake test programs (shell scripts printing kselftest TAP) for the
# runner's own checks (harness/check.d/): run with SYSCONFORM_TREE=DIR, it has its own
# RULES.md, tests/ and build/, and uses the real sc-run, sc-batch and features.
use strict;
use warnings;
use File::Path qw(make_path);

# make(DIR, BUILD, NAME => [ [CASE...], SHELL-SCRIPT ], ...): the tree in DIR, its
# programs in topic "bad"; BUILD: the real build directory (its harness/ tools).
sub make {
	my ($dir, $build, %programs) = @_;
	make_path("$dir/tests/bad", "$dir/build/tests/bad", "$dir/build/harness");
	for my $tool (qw(sc-run sc-batch features)) {
		symlink("$build/harness/$tool", "$dir/build/harness/$tool") or die "symlink $tool: $!\n";
	}
	put("$dir/RULES.md", "## bad\n\n- **BAD-01** A rule. Source: here.\n");
	for my $p (sort keys %programs) {
		my ($cases, $script) = @{ $programs{$p} };
		put("$dir/tests/bad/$p.c", join '', map { "/* BAD-01 here: a rule. */\nTEST($_) {}\n\n" } @$cases);
		put("$dir/build/tests/bad/$p", "#!/bin/sh\n$script\n", 0755);
	}
	return $dir;
}

# The shell lines that run case NAME (number N) and pass it.
sub passes { my ($n, $name) = @_; qq{echo "#  RUN           global.$name ..."; echo "ok $n global.$name"} }

# The shell line that starts case NAME.
sub starts { qq{echo "#  RUN           global.$_[0] ..."} }

sub put {
	my ($path, $text, $mode) = @_;
	open my $fh, '>', $path or die "$path: $!\n";
	print $fh $text;
	close $fh or die "$path: $!\n";
	chmod $mode, $path if $mode;
}

1;
