package Sysconform::Catalog;
# The catalogue: RULES.md (the rule text by ID, per section) and the cases the
# test sources declare (TEST/TEST_F lines, fixture variants, the rule comment
# directly above each). Case names are known from the sources, so the runner can
# name cases a program never reached, and `list`/`coverage` work without running.
use strict;
use warnings;
use File::Basename qw(basename);
use File::Glob ':bsd_glob';	# glob() does not split a path with spaces

# The topics whose cases work on files in their temporary directory: the runner runs
# them once per filesystem of --fs / --tmpdir.
our @FILE_TOPICS = qw(open meta links xattr dirs io);
my %FILE_TOPIC = map { $_ => 1 } @FILE_TOPICS;
sub is_file_topic { $FILE_TOPIC{ $_[0] } ? 1 : 0 }

# The file of a program's raw TAP in a run's tap/ (one per pass of --fs/--tmpdir).
sub tap_file {
	my ($p) = @_;
	return "$p->{topic}-$p->{file}" . ($p->{pass} ? "\@$p->{pass}{label}" : '') . '.tap';
}

sub new {
	my ($class, %a) = @_;
	my $self = bless { root => $a{root}, rules => {}, sections => [], programs => [] }, $class;
	$self->_load_rules("$a{root}/RULES.md");
	$self->_scan_tests("$a{root}/tests");
	return $self;
}

sub rules    { $_[0]{rules} }
sub sections { @{ $_[0]{sections} } }
sub programs { @{ $_[0]{programs} } }
sub cases    { map { @{ $_->{cases} } } @{ $_[0]{programs} } }

sub _load_rules {
	my ($self, $path) = @_;
	open my $fh, '<', $path or die "cannot read $path: $!\n";
	my $section;
	while (my $line = <$fh>) {
		if ($line =~ /^## (\S+)/) {
			$section = $1;
			push @{ $self->{sections} }, $section;
		} elsif ($line =~ /^- \*\*([A-Z]+-\d+)\*\* (.*)/) {
			my ($id, $text) = ($1, $2);
			my @needs = $text =~ /\[feature (\w+)\]/g;
			my @man = ($text =~ /\s+Source:(.*)$/ ? $1 : '') =~ /\bman ([\w.-]+\(\d\w*\))/g;	# "open(2)"
			$text =~ s/\s+Source:.*$//;
			$self->{prefixes}{ $id =~ s/-\d+$//r } = 1;
			$self->{rules}{$id} = { id => $id, section => $section, text => $text, needs => \@needs, man => \@man,
						feature => ($section eq 'features' ? (split ' ', $text)[0] : undef) };
		}
	}
}

# One program per tests/<topic>/<file>.c, with its cases in source order.
sub _scan_tests {
	my ($self, $dir) = @_;
	for my $src (sort glob("$dir/*/*.c")) {
		my ($topic) = $src =~ m{/([^/]+)/[^/]+\.c$};
		my $file = basename($src, '.c');
		push @{ $self->{programs} }, $self->_scan_file($src, $topic, $file);
	}
}

sub _scan_file {
	my ($self, $src, $topic, $file) = @_;
	open my $fh, '<', $src or die "cannot read $src: $!\n";
	my (%variants, @decl, $comment, $incomment, $block, $lineno);
	while (my $line = <$fh>) {
		$lineno++;
		if ($incomment) {
			$block .= $line;
			if ($line =~ m{\*/}) { $incomment = 0; $comment = $block; }
			next;
		}
		if ($line =~ m{^\s*/\*} ) {
			$block = $line;
			if ($line =~ m{\*/}) { $comment = $block } else { $incomment = 1 }
			next;
		}
		if ($line =~ /^\s*FIXTURE_VARIANT_ADD\(\s*(\w+)\s*,\s*(\w+)\s*\)/) {
			push @{ $variants{$1} }, $2;
		} elsif ($line =~ /^(TEST|TEST_SIGNAL|TEST_F|TEST_F_SIGNAL|TEST_F_TIMEOUT)\(\s*(\w+)\s*(?:,\s*(\w+))?/) {
			my ($macro, $a, $b) = ($1, $2, $3);
			my ($fixture, $name) = $macro =~ /_F/ ? ($a, $b) : ('global', $a);
			push @decl, { fixture => $fixture, name => $name, comment => $comment, line => $lineno };
		}
		$comment = undef unless $line =~ /^\s*$/;
	}
	my @cases;
	for my $d (@decl) {
		my @v = @{ $variants{ $d->{fixture} } || [''] };
		for my $v (@v) {
			my $tap = join '.', grep { length } $d->{fixture}, $v, $d->{name};
			(my $short = $tap) =~ s/^global\.//;
			my $text = $d->{comment} // '';
			$text =~ s{^\s*/\*\s*|\s*\*/\s*$}{}g;
			$text =~ s/\s*\n\s*\*?\s*/ /g;
			# rule IDs: WORD-NN whose WORD is a prefix of RULES.md (not "UTF-8")
			my @ids = grep { $self->{prefixes}{ s/-\d+$//r } } $text =~ /\b([A-Z]+-\d+)\b/g;
			push @cases, { id => "$topic/$file:$short", topic => $topic, file => $file,
				       name => $short, tap_name => $tap, rules => \@ids,
				       comment => $text, src => "$src:$d->{line}" };
		}
	}
	return { topic => $topic, file => $file, src => $src, id => "$topic/$file", cases => \@cases };
}

# Problems that make the catalogue wrong: cases without a rule ID, unknown IDs, duplicates.
sub problems {
	my ($self) = @_;
	my (@p, %seen);
	for my $c ($self->cases) {
		push @p, "$c->{src}: $c->{id} has no rule ID in the comment above it" unless @{ $c->{rules} };
		for my $id (@{ $c->{rules} }) {
			push @p, "$c->{src}: $c->{id} cites $id, which RULES.md does not have"
				unless $self->{rules}{$id};
		}
		push @p, "$c->{src}: duplicate case id $c->{id}" if $seen{ $c->{id} }++;
	}
	return @p;
}

# Filters: a topic ("fd"), a program ("fd/dup"), or a case-id glob ("fd/dup:*cloexec*").
sub glob_re {
	my ($glob) = @_;
	my $re = quotemeta $glob;
	$re =~ s/\\\*/.*/g;
	$re =~ s/\\\?/./g;
	return qr/^$re$/;
}

sub case_matches {
	my ($c, @filters) = @_;
	return 1 unless @filters;
	for my $f (@filters) {
		return 1 if $f eq $c->{topic} || $f eq "$c->{topic}/$c->{file}";
		return 1 if $c->{id} =~ glob_re($f);
	}
	return 0;
}

# The programs with at least one case matching; each with only its matching cases.
sub select {
	my ($self, @filters) = @_;
	my @out;
	for my $p ($self->programs) {
		my @c = grep { case_matches($_, @filters) } @{ $p->{cases} };
		push @out, { %$p, cases => \@c } if @c;
	}
	return @out;
}

1;
