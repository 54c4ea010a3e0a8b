package Sysconform::Grade;
use strict;
use warnings;

sub main { print STDERR "sysconform: '\LGrade\E' is not implemented yet\n"; return 2 }

1;
