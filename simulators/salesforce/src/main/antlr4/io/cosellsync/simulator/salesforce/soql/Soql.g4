/*
 * The SOQL this simulator understands (see the module README for the supported subset). Keywords are
 * case-insensitive, as in Salesforce. Clauses the engine does not support (GROUP BY, HAVING, WITH, USING SCOPE,
 * TYPEOF, functions other than COUNT) are still recognised here so that the engine can reject them by name
 * instead of reporting a confusing token.
 */
grammar Soql;

options { caseInsensitive = true; }

statement
    : query EOF
    ;

query
    : SELECT selectItem (COMMA selectItem)*
      FROM fieldPath alias=identifier?
      usingScope?
      whereClause?
      withClause?
      groupBy?
      orderBy?
      limitClause?
      offsetClause?
      forClause*
      allRows?
    ;

selectItem
    : fieldPath                                              # fieldItem
    | COUNT LPAREN fieldPath? RPAREN alias=identifier?       # countItem
    | name=identifier LPAREN fieldPath? RPAREN alias=identifier? # functionItem
    | LPAREN query RPAREN                                    # subqueryItem
    | TYPEOF fieldPath                                       # typeofItem
    ;

fieldPath
    : identifier (DOT identifier)*
    ;

// Words that are keywords only in some positions may still name fields and date literals.
identifier
    : IDENTIFIER | FIRST | LAST | VIEW | REFERENCE | SCOPE | ROWS | UPDATE | COUNT
    ;

usingScope
    : USING SCOPE identifier
    ;

whereClause
    : WHERE condition
    ;

// SOQL requires parentheses when AND and OR are mixed: "a AND b OR c" is a syntax error.
condition
    : simpleCondition ((AND simpleCondition)+ | (OR simpleCondition)+)?
    ;

simpleCondition
    : NOT simpleCondition                                    # notCondition
    | LPAREN condition RPAREN                                # nestedCondition
    | fieldPath operator value                               # comparison
    | fieldPath LIKE value                                   # likeCondition
    | fieldPath NOT? IN LPAREN (value (COMMA value)* | query) RPAREN # inCondition
    | fieldPath (INCLUDES | EXCLUDES) LPAREN value (COMMA value)* RPAREN # includesCondition
    ;

operator
    : EQ | NEQ | LT | LTE | GT | GTE
    ;

value
    : STRING                                                 # stringValue
    | NUMBER                                                 # numberValue
    | (TRUE | FALSE)                                         # booleanValue
    | NULL                                                   # nullValue
    | DATE                                                   # dateValue
    | DATETIME                                               # dateTimeValue
    | identifier (COLON NUMBER)?                             # dateLiteralValue
    ;

withClause
    : WITH identifier
    ;

groupBy
    : GROUP BY fieldPath (COMMA fieldPath)* (HAVING condition)?
    ;

orderBy
    : ORDER BY orderItem (COMMA orderItem)*
    ;

orderItem
    : fieldPath direction=(ASC | DESC)? (NULLS nulls=(FIRST | LAST))?
    ;

limitClause
    : LIMIT NUMBER
    ;

offsetClause
    : OFFSET NUMBER
    ;

forClause
    : FOR (VIEW | REFERENCE | UPDATE)
    ;

allRows
    : ALL ROWS
    ;

SELECT     : 'SELECT';
FROM       : 'FROM';
WHERE      : 'WHERE';
AND        : 'AND';
OR         : 'OR';
NOT        : 'NOT';
IN         : 'IN';
LIKE       : 'LIKE';
INCLUDES   : 'INCLUDES';
EXCLUDES   : 'EXCLUDES';
NULL       : 'NULL';
TRUE       : 'TRUE';
FALSE      : 'FALSE';
ORDER      : 'ORDER';
GROUP      : 'GROUP';
HAVING     : 'HAVING';
BY         : 'BY';
ASC        : 'ASC';
DESC       : 'DESC';
NULLS      : 'NULLS';
FIRST      : 'FIRST';
LAST       : 'LAST';
LIMIT      : 'LIMIT';
OFFSET     : 'OFFSET';
FOR        : 'FOR';
UPDATE     : 'UPDATE';
VIEW       : 'VIEW';
REFERENCE  : 'REFERENCE';
ALL        : 'ALL';
ROWS       : 'ROWS';
WITH       : 'WITH';
USING      : 'USING';
SCOPE      : 'SCOPE';
COUNT      : 'COUNT';
TYPEOF     : 'TYPEOF';

EQ     : '=';
NEQ    : '!=' | '<>';
LTE    : '<=';
GTE    : '>=';
LT     : '<';
GT     : '>';
LPAREN : '(';
RPAREN : ')';
COMMA  : ',';
DOT    : '.';
COLON  : ':';

DATETIME
    : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT 'T' DIGIT DIGIT ':' DIGIT DIGIT ':' DIGIT DIGIT
      ('.' DIGIT+)? ('Z' | ('+' | '-') DIGIT DIGIT ':' DIGIT DIGIT)
    ;

DATE
    : DIGIT DIGIT DIGIT DIGIT '-' DIGIT DIGIT '-' DIGIT DIGIT
    ;

NUMBER
    : ('-' | '+')? DIGIT+ ('.' DIGIT+)?
    ;

STRING
    : '\'' ('\\' . | ~['\\\r\n])* '\''
    ;

IDENTIFIER
    : [A-Z_] [A-Z0-9_]*
    ;

WS
    : [ \t\r\n]+ -> skip
    ;

fragment DIGIT : [0-9];
