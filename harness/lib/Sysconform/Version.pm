package Sysconform::Version;
# The suite's version, for --version, summary.json and every report: the VERSION file
# ("0.4.0") plus, in a git checkout, "+g<commit>" and "-dirty" when the tree has changes.
# A tree without git (installed by `make install`, unpacked from a bundle) has the whole
# string in its VERSION already.
use strict;
use warnings;
use Exporter qw(import);
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
	if ($v !~ /\+g/ && -e "$root/.git" && open my $git, '-|', 'git', '-C', $root,
	    'describe', '--always', '--dirty', '--abbrev=12', '--match', 'NO-TAGS') {
		my $g = <$git> // '';
		close $git;
		chomp $g;
		$v .= "+g$g" if $g =~ /^[0-9a-f]/;
	}
	return $cache{$root} = $v;
}
1;
