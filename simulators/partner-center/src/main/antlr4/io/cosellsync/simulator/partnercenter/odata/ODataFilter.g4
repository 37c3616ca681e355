// The subset of OData $filter that Partner Center's referral list documents: comparisons, and/or/not,
// parentheses, string/GUID/number/boolean/datetime literals, nested paths and one lambda (team/any(t: ...)).
grammar ODataFilter;

filter : expr EOF ;

// earlier alternatives bind tighter: primary expressions, then not, and, or
expr
    : '(' expr ')'                                                  # parenExpr
    | collection=path '/' ANY '(' variable=IDENT ':' expr ')'       # anyExpr
    | left=operand comparison right=operand                         # compareExpr
    | NOT expr                                                      # notExpr
    | expr AND expr                                                 # andExpr
    | expr OR expr                                                  # orExpr
    ;

comparison : EQ | NE | GT | GE | LT | LE ;

operand : literal | path ;

path : IDENT ('/' IDENT)* ;

literal : STRING | GUID | DATETIME | DATE | NUMBER | TRUE | FALSE | NULL ;

EQ    : 'eq' ;
NE    : 'ne' ;
GT    : 'gt' ;
GE    : 'ge' ;
LT    : 'lt' ;
LE    : 'le' ;
AND   : 'and' ;
OR    : 'or' ;
NOT   : 'not' ;
ANY   : 'any' ;
TRUE  : 'true' ;
FALSE : 'false' ;
NULL  : 'null' ;

GUID     : HEX8 '-' HEX4 '-' HEX4 '-' HEX4 '-' HEX4 HEX8 ;
DATETIME : DATE_PART 'T' [0-9][0-9] ':' [0-9][0-9] (':' [0-9][0-9] ('.' [0-9]+)?)? ('Z' | [+-][0-9][0-9] ':' [0-9][0-9]) ;
DATE     : DATE_PART ;
NUMBER   : '-'? [0-9]+ ('.' [0-9]+)? ;
STRING   : '\'' (~'\'' | '\'\'')* '\'' ;
IDENT    : [a-zA-Z_] [a-zA-Z0-9_]* ;
WS       : [ \t\r\n]+ -> skip ;

fragment DATE_PART : [0-9][0-9][0-9][0-9] '-' [0-9][0-9] '-' [0-9][0-9] ;
fragment HEX4 : HEX HEX HEX HEX ;
fragment HEX8 : HEX4 HEX4 ;
fragment HEX  : [0-9a-fA-F] ;
