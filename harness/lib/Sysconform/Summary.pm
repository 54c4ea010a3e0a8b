package Sysconform::Summary;
# summary.json, the contract sysconform-summary/1 (docs/DESIGN.md "summary.json"):
# built here from the pieces of a run, validated against the contract (the runner's
# own check, compare, grade), read and written. Fields may be added, never renamed.
use strict;
use warnings;
use Encode ();
use JSON::PP;
use POSIX qw(strftime);
use Sysconform::Catalog;
use Sysconform::Vocabulary qw(@STATUSES @FEATURE_STATUSES skip_reason);

our $SCHEMA = 'sysconform-summary/1';

# The fields the contract promises, per part.
my @RUN = qw(id label started duration_s jobs wrap preload);
my @SYSTEM = qw(kernel_release machine os libc uid container);
my @FEATURE = qw(name since status errno api observed);
my @CASE = qw(id topic file name status rules reason duration_ms diagnostic);
my @CLAIM = qw(feature since kernel_release);
# What a --kernel guest adds to "system" (harness/qemu-run).
my @GUEST = qw(kernel_package kernel_package_version kernel_image qemu_accel scratch_fs boot_s console_log);

sub load {
	my ($path) = @_;
	open my $fh, '<', $path or die "cannot read $path: $!\n";
	local $/;
	return JSON::PP->new->decode(<$fh>);
}

sub save {
	my ($path, $data) = @_;
	write_atomic($path, JSON::PP->new->canonical->pretty->encode($data));
}

# Write TEXT to PATH whole or not at all: into a temporary file of the same directory,
# renamed over PATH once every byte is written (a full or failing disk leaves PATH as
# it was, never truncated). LAYER: an output layer (':encoding(UTF-8)'). Dies with
# "cannot write PATH: ERROR".
sub write_atomic {
	my ($path, $text, $layer) = @_;
	my $tmp = $path =~ s{([^/]+)$}{.$1.tmp$$}r;
	my $err;
	if (open my $fh, '>' . ($layer // ''), $tmp) {
		print $fh $text or $err = $!;
		close $fh or $err //= $!;
		if (!defined $err && !rename $tmp, $path) { $err = $! }
	} else {
		$err = $!;
	}
	return 1 unless defined $err;
	unlink $tmp;
	die "cannot write $path: $err\n";
}

sub version_cmp {	# "6.1.0-18-amd64" vs "4.5": <0, 0, >0
	my @a = ($_[0] =~ /^(\d+(?:\.\d+)*)/ ? split /\./, $1 : (0));
	my @b = ($_[1] =~ /^(\d+(?:\.\d+)*)/ ? split /\./, $1 : (0));
	while (@a || @b) {
		my $c = (shift(@a) // 0) <=> (shift(@b) // 0);
		return $c if $c;
	}
	return 0;
}

# Features missing although the kernel release is at or past the version that added them.
sub version_claims {
	my ($release, @features) = @_;
	return () unless defined $release && $release =~ /^\d/;
	return map { { feature => $_->{name}, since => $_->{since}, kernel_release => $release,
		       ($_->{expected} ? (expected => $_->{expected}) : ()) } }
		grep { $_->{status} eq 'missing' && $_->{since} =~ /^\d/
		       && version_cmp($release, $_->{since}) >= 0 } @features;
}

sub totals {
	my (@cases) = @_;
	my %t = map { $_ => 0 } @STATUSES;
	$t{ $_->{status} }++ for @cases;
	return \%t;
}

# One case of a program (a catalogue entry) from its result (Sysconform::Tap).
sub case {
	my ($p, $r) = @_;
	my ($d) = grep { $_->{name} eq $r->{name} } @{ $p->{cases} };
	my $c = {
		id => "$p->{topic}/$p->{file}:$r->{name}" . ($p->{pass} && $p->{pass}{suffix} ? "\@$p->{pass}{label}" : ''),
		topic => $p->{topic}, file => $p->{file},
		name => $r->{name}, status => $r->{status}, rules => $d ? $d->{rules} : [],
		reason => $r->{reason} // '', duration_ms => $r->{duration_ms},
		diagnostic => $r->{diagnostic} // '', tap => 'tap/' . Sysconform::Catalog::tap_file($p),
		($r->{fs} // ($p->{pass} && $p->{pass}{fs})) ? (fs => $r->{fs} // $p->{pass}{fs}) : (),
	};
	@$c{qw(status reason)} = ('error', 'case not in the source: the program is stale (run make)') if $r->{unknown};
	return $c;
}

# The summary of a run from its pieces:
#   run       id label started (epoch s) duration_s jobs wrap preload filters timeout_s
#             notes tmp_leftovers expect expect_notes static wrap_once
#   system    what the features program said (and qemu-run of a guest)
#   features  the feature table, as the features program gave it (plus "expected")
#   cases     from case(), in any order; expectations applied
#   programs  the programs run, in catalogue order: the order of the cases
sub build {
	my (%a) = @_;
	my $r = $a{run};
	my $sys = $a{system};
	my %order = map { $a{programs}[$_]{id} => $_ } 0 .. $#{ $a{programs} };
	my %pos;
	for my $p (@{ $a{programs} }) { my $i = 0; $pos{"$p->{topic}/$p->{file}:$_->{name}"} = $i++ for @{ $p->{cases} } }
	my $fs = sub { $_[0]{id} =~ /\@([^:\/]+)$/ ? $1 : '' };	# a pass of --fs/--tmpdir
	my @cases = sort { $order{"$a->{topic}/$a->{file}"} <=> $order{"$b->{topic}/$b->{file}"}
			   || $fs->($a) cmp $fs->($b)
			   || ($pos{"$a->{topic}/$a->{file}:$a->{name}"} // 1e9) <=> ($pos{"$b->{topic}/$b->{file}:$b->{name}"} // 1e9) } @{ $a{cases} };
	return {
		schema => $SCHEMA,
		run => { %$r, started => strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $r->{started}),
			 duration_s => 0 + sprintf('%.2f', $r->{duration_s}),
			 map { $_ => $r->{$_} ? JSON::PP::true : JSON::PP::false } qw(static wrap_once) },
		system => { (map { $_ => $sys->{$_} // '' } @SYSTEM, 'kernel_version', 'test_fs'), uid => 0 + ($sys->{uid} || 0),
			    ($sys->{guest_filesystems} ? (guest_filesystems => $sys->{guest_filesystems}) : ()),
			    (map { exists $sys->{$_} ? ($_ => $sys->{$_}) : () } @GUEST) },
		features => [ map { { %$_{qw(name since status errno api)}, observed => $_->{observed} // '',
				      ($_->{expected} ? (expected => $_->{expected}) : ()) } } @{ $a{features} } ],
		cases => \@cases,
		version_claims => [ version_claims($sys->{kernel_release}, @{ $a{features} }) ],
		totals => totals(@cases),
	};
}

# Text as the runner writes it (a line of a program's output, a field of a summary):
# valid UTF-8 bytes (what is not UTF-8 becomes U+FFFD), each control character but tab
# a '?' (newlines too, unless MULTILINE).
sub text {
	my ($s, $multiline) = @_;
	return '' unless defined $s;
	return $s if $s =~ /^[\t\x20-\x7e]*\z/;	# (most lines: quick)
	utf8::encode($s) if utf8::is_utf8($s);
	$s = Encode::decode('UTF-8', $s, Encode::FB_DEFAULT());
	if ($multiline) { $s =~ s/[\x00-\x08\x0b-\x1f\x7f]/?/g } else { $s =~ s/[\x00-\x08\x0a-\x1f\x7f]/?/g }
	return Encode::encode('UTF-8', $s);
}

# A summary that validate(readable => 1) accepts, made safe to read whatever else it
# holds (another tool's file, a hand-edited one): "run" and "system" are objects whose
# contract fields are text or absent (undef), "features" a list of objects, each case's
# fields text or absent and its "rules" a list of text; text is UTF-8 bytes, as the runner writes it (a "\u4e2d"
# escape decodes to a character). In place; returns S.
sub normalize {
	my ($s) = @_;
	my $text = sub {
		my ($v, $multiline) = @_;
		return undef if !defined $v || (ref $v && ref $v ne 'JSON::PP::Boolean');
		return text("$v", $multiline);
	};
	my $fields = sub { my ($h, @k) = @_; $h->{$_} = $text->($h->{$_}, /^(reason|diagnostic)$/) for @k; $h };
	$s->{run} = $fields->(ref $s->{run} eq 'HASH' ? $s->{run} : {}, @RUN);
	$s->{system} = $fields->(ref $s->{system} eq 'HASH' ? $s->{system} : {}, @SYSTEM);
	$s->{features} = [ map { $fields->($_, @FEATURE) } grep { ref $_ eq 'HASH' }
			   ref $s->{features} eq 'ARRAY' ? @{ $s->{features} } : () ];
	for my $c (@{ $s->{cases} }) {
		$fields->($c, grep { $_ ne 'rules' } @CASE);
		$c->{rules} = [ grep { defined } map { $text->($_) } ref $c->{rules} eq 'ARRAY' ? @{ $c->{rules} } : () ];
	}
	return $s;
}

# What is wrong with a decoded summary: one line per problem, none when it keeps the
# contract. The first problems are those that leave nothing to read (not the schema,
# no list of cases, a case without id, topic or status); with READABLE => 1 only
# these are looked for: what compare and grade need of a summary.
sub validate {
	my ($s, %o) = @_;
	return 'it is not a JSON object' unless ref $s eq 'HASH';
	return "schema is '" . (ref $s->{schema} ? 'not text' : text(substr($s->{schema} // 'none', 0, 80))) . "', not $SCHEMA"
		unless ($s->{schema} // '') eq $SCHEMA;
	return 'it has no "cases" list' unless ref $s->{cases} eq 'ARRAY';
	for my $i (0 .. $#{ $s->{cases} }) {
		my $c = $s->{cases}[$i];
		return "case $i is not an object" unless ref $c eq 'HASH';
		for my $k (qw(id topic status)) {
			return "case $i has no \"$k\"" unless defined $c->{$k} && !ref $c->{$k};
		}
	}
	return () if $o{readable};
	my @p;
	my $fields = sub {	# WHAT is an object with these scalar fields
		my ($what, $h, @k) = @_;
		if (ref $h ne 'HASH') { push @p, "$what is not an object"; return }
		push @p, map { "$what has no \"$_\"" } grep { !defined $h->{$_} || ref $h->{$_} } @k;
	};
	my $list = sub {	# KEY is a list of objects with these fields
		my ($key, @k) = @_;
		if (ref $s->{$key} ne 'ARRAY') { push @p, "it has no \"$key\" list"; return }
		$fields->("$key $_", $s->{$key}[$_], @k) for 0 .. $#{ $s->{$key} };
	};
	my %status = map { $_ => 1 } @STATUSES;
	my %fstatus = map { $_ => 1 } @FEATURE_STATUSES;
	$fields->('run', $s->{run}, @RUN);
	$fields->('system', $s->{system}, @SYSTEM);
	$list->('features', @FEATURE);
	my @features = ref $s->{features} eq 'ARRAY' ? @{ $s->{features} } : ();
	push @p, map { "feature $_->{name}: status '$_->{status}' is not one of @FEATURE_STATUSES" }
		grep { ref $_ eq 'HASH' && defined $_->{status} && !$fstatus{ $_->{status} } } @features;
	$list->('cases', grep { $_ ne 'rules' } @CASE);
	for my $c (@{ $s->{cases} }) {
		push @p, "case $c->{id}: status '$c->{status}' is not one of @STATUSES" unless $status{ $c->{status} };
		push @p, "case $c->{id}: \"rules\" is not a list" unless ref $c->{rules} eq 'ARRAY';
		push @p, "case $c->{id}: the id is not TOPIC/FILE:NAME of its fields"
			if defined $c->{file} && defined $c->{name} && $c->{id} ne "$c->{topic}/$c->{file}:$c->{name}";
		push @p, "case $c->{id}: skip reason '" . ($c->{reason} // '') . "' is none of docs/DESIGN.md's forms"
			if $c->{status} eq 'skip' && !skip_reason($c->{reason});
	}
	$list->('version_claims', @CLAIM);
	if (ref $s->{totals} eq 'HASH') {
		my $t = totals(grep { $status{ $_->{status} } } @{ $s->{cases} });
		push @p, map { "totals: $_ is " . ($s->{totals}{$_} // 'absent') . ", the cases say $t->{$_}" }
			grep { ($s->{totals}{$_} // -1) != $t->{$_} } @STATUSES;
	} else {
		push @p, 'it has no "totals" object';
	}
	return @p;
}

1;
