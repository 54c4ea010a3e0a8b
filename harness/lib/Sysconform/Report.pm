package Sysconform::Report;
# The files a run writes into its directory, each by its own module, and what they
# share. All of it is made from the summary (and the rule texts of RULES.md), so a
# recorded summary gives the same reports.
#   summary.json      Sysconform::Summary (the contract sysconform-summary/1)
#   junit.xml         Sysconform::Report::Junit
#   sysconform.tap    Sysconform::Report::Tap
#   report.md         Sysconform::Report::Markdown
#   report.html       Sysconform::Report::Html
#   (the console)     Sysconform::Report::Console
use strict;
use warnings;
use Sysconform::Summary;
use Sysconform::Vocabulary qw(@STATUSES is_bad);
use Sysconform::Report::Junit;
use Sysconform::Report::Tap;
use Sysconform::Report::Markdown;
use Sysconform::Report::Html;

# Write every file of the run S into DIR; RULES: the catalogue's rules by ID. The
# summary comes last: when it is there, so are the others.
sub write_files {
	my ($dir, $s, $rules) = @_;
	put("$dir/junit.xml", Sysconform::Report::Junit::render($s, $rules));
	put("$dir/sysconform.tap", Sysconform::Report::Tap::render($s));
	put("$dir/report.md", Sysconform::Report::Markdown::render($s, $rules));
	put("$dir/report.html", Sysconform::Report::Html::render($s, $rules));
	Sysconform::Summary::save("$dir/summary.json", $s);
}

# Each file whole or not at all (Sysconform::Summary::write_atomic); dies on an error.
sub put { Sysconform::Summary::write_atomic(@_) }

# --- what the reports share ---------------------------------------------------------

# The cases that need a look: divergences and problems.
sub divergent { grep { is_bad($_->{status}) } @{ $_[0]{cases} } }

# "RULE-ID text" for each rule of case C that RULES has.
sub rule_lines {
	my ($c, $rules) = @_;
	return map { "$_ $rules->{$_}{text}" } grep { $rules && $rules->{$_} } @{ $c->{rules} };
}

# [topic, count per status...] for each topic, sorted.
sub topic_rows {
	my ($s) = @_;
	my %t;
	$t{ $_->{topic} }{ $_->{status} }++ for @{ $s->{cases} };
	return map { my $t = $_; [ $t, map { $t{$t}{$_} // 0 } @STATUSES ] } sort keys %t;
}

# The topics that ran on a named filesystem (sc-fs), by filesystem: (\@fs, rows) with
# a row [topic, "PASS/FAIL/SKIP" per filesystem ('' where it did not run)]; FAIL
# counts every other outcome (fail, error, timeout, and xfail: a known divergence is
# still one). Nothing when no case named one.
sub fs_rows {
	my ($s) = @_;
	my (%t, %fs);
	for my $c (grep { $_->{fs} } @{ $s->{cases} }) {
		my $k = $c->{status} =~ /^x?pass$/ ? 'pass' : $c->{status} eq 'skip' ? 'skip' : 'fail';
		$t{ $c->{topic} }{ $c->{fs} }{$k}++;
		$fs{ $c->{fs} } //= keys %fs;
	}
	my %run = map { $s->{run}{filesystems}[$_]{fs} => $_ - 100 } 0 .. $#{ $s->{run}{filesystems} || [] };
	my @fs = sort { ($run{$a} // $fs{$a}) <=> ($run{$b} // $fs{$b}) } keys %fs;	# --fs order first
	return () unless @fs;
	return (\@fs, map { my $t = $_; [ $t, map { my $n = $t{$t}{$_}; $n ? join('/', map { $n->{$_} // 0 } qw(pass fail skip)) : '' } @fs ] }
		sort keys %t);
}

# The sections of known divergences: [status, title].
our @EXPECTED = (['xfail', 'Known divergences (xfail)'], ['xpass', 'Stale expectations (xpass: listed, but passed)']);

# "451 pass, 0 fail, 0 skip": the totals that are not 0, and always pass, fail, skip.
sub totals_text {
	my ($t) = @_;
	return join ', ', map { "$t->{$_} $_" } grep { $t->{$_} || /^(pass|fail|skip)$/ } @STATUSES;
}

# "Interrupted by SIGTERM: 3 cases not run." for a run that was stopped, or ''.
sub interrupted_text {
	my ($r) = @_;
	return '' unless $r->{interrupted};
	my $n = @{ $r->{not_run} || [] };
	return ($r->{interrupted} =~ /^SIG/ ? "Interrupted by $r->{interrupted}" : "Stopped: $r->{interrupted}")
		. ": $n case" . ($n == 1 ? '' : 's') . ' not run (run.not_run of summary.json).';
}

# What qemu-run said of a --kernel guest, or ''.
sub guest_text {
	my ($sys) = @_;
	return '' unless $sys->{qemu_accel};
	return join ', ', map { "$_ $sys->{$_}" } grep { defined $sys->{$_} }
		qw(kernel_package kernel_package_version kernel_image qemu_accel scratch_fs boot_s);
}

1;
