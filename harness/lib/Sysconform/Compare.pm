package Sysconform::Compare;
use strict;
use warnings;

sub main { print STDERR "sysconform: '\LCompare\E' is not implemented yet\n"; return 2 }

1;
