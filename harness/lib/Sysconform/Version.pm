package Sysconform::Version;
# The suite's version, for --version, summary.json and every report: the VERSION file
# ("0.4.0") plus, in a git checkout, "+g<commit>" and "-dirty" when the tree has changes.
# A tree without git (installed by `make install`, unpacked from a bundle) has the whole
# string in its VERSION already.
use strict;
use warnings;
use Exporter qw(import);
use POSIX ();
our @EXPORT_OK = qw(suite_version);

my %cache;
sub suite_version {
	my ($root) = @_;
	return $cache{$root} if defined $cache{$root};
	my $v = 'unknown';
	if (open my $fh, '<', "$root/VERSION") {
		$v = <$fh> // 'unknown';
		$v =~ s/\s+\z//;
	}
	# (safe.directory: a checkout that another user owns, e.g. root's run by uid 65534)
	if ($v !~ /\+g/ && -e "$root/.git" && defined(my $pid = open my $git, '-|')) {
		if (!$pid) {
			open STDERR, '>', '/dev/null';
			{ exec 'git', '-c', 'safe.directory=*', '-C', $root,
				'describe', '--always', '--dirty', '--abbrev=12', '--match', 'NO-TAGS' }
			POSIX::_exit(127);
		}
		my $g = <$git> // '';
		close $git;
		chomp $g;
		$v .= "+g$g" if $g =~ /^[0-9a-f]/;
	}
	return $cache{$root} = $v;
}
1;
