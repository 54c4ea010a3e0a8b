# Sysconform::Catalog on a small tree: rule text, case names with fixtures and
# variants, the rule comment above each case, filters, and catalogue problems.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use File::Path qw(make_path);
use Test::More;
use Sysconform::Catalog;

my $root = tempdir(CLEANUP => 1);
make_path("$root/tests/pipes");
sub put { open my $fh, '>', "$root/$_[0]" or die; print $fh $_[1]; close $fh }
put('RULES.md', <<'RULES');
## pipes

- **PIPE-04** Once every write end is closed, read() returns 0. Source: man pipe(7).
- **PIPE-05** No EOF while a writer is open. Source: seed 001. [feature pipe_size]
RULES
put('tests/pipes/eof.c', <<'SRC');
FIXTURE(pipe_pair) { int fds[2]; };
FIXTURE_VARIANT(pipe_pair) { int flags; };
FIXTURE_VARIANT_ADD(pipe_pair, blocking) { .flags = 0 };
FIXTURE_VARIANT_ADD(pipe_pair, fifo) { .flags = 1 };

/* PIPE-04 pipe(7): read() after the last writer closes returns 0. */
TEST_F(pipe_pair, read_after_last_writer_closes_returns_eof)
{
}

/*
 * PIPE-05 pipe(7): a child's inherited copy keeps
 * the pipe open.
 */
TEST(inherited_writer_copy_delays_eof) {}

/* PIPE-99 not a rule */
TEST(cites_unknown_rule_id) {}

TEST(has_no_rule_comment) {}
SRC
my $cat = Sysconform::Catalog->new(root => $root);
is($cat->rules->{'PIPE-04'}{text}, 'Once every write end is closed, read() returns 0.', 'rule text without its source');
is_deeply($cat->rules->{'PIPE-05'}{needs}, ['pipe_size'], 'feature tags');
my @ids = map { $_->{id} } $cat->cases;
is_deeply(\@ids, [ 'pipes/eof:pipe_pair.blocking.read_after_last_writer_closes_returns_eof',
		   'pipes/eof:pipe_pair.fifo.read_after_last_writer_closes_returns_eof',
		   'pipes/eof:inherited_writer_copy_delays_eof', 'pipes/eof:cites_unknown_rule_id',
		   'pipes/eof:has_no_rule_comment' ], 'case ids: topic/file:fixture.variant.name');
my ($multi) = grep { $_->{name} eq 'inherited_writer_copy_delays_eof' } $cat->cases;
is_deeply($multi->{rules}, ['PIPE-05'], 'a multi-line rule comment');
my @p = $cat->problems;
is(scalar @p, 2, 'two problems');
like($p[0], qr/cites PIPE-99, which RULES.md does not have/, 'unknown rule ID');
like($p[1], qr/has_no_rule_comment has no rule ID/, 'missing rule comment');
is(scalar(map { @{ $_->{cases} } } $cat->select('pipes')), 5, 'topic filter');
is(scalar(map { @{ $_->{cases} } } $cat->select('pipes/eof:*fifo*')), 1, 'case-id glob');
is(scalar($cat->select('fd')), 0, 'a filter that matches nothing');
done_testing;
