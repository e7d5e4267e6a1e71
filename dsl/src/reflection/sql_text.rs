//! Reading pieces of SQL text that catalogs hand back: defaults to compare, lists to split,
//! and (for SQLite, which keeps only the `CREATE` statement) constraints inside a table's
//! definition. Quotes and parentheses are respected; nothing here evaluates SQL.

use super::model::ColumnType;
use crate::schema::ReferentialAction;

/// Splits `sql` at the commas that are outside quotes and parentheses, each part trimmed.
pub fn split_top_level(sql: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut quote: Option<char> = None;
    for (i, c) in sql.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '[' => quote = Some(']'),
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(sql[start..i].trim().to_owned());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = sql[start..].trim();
    if !last.is_empty() {
        parts.push(last.to_owned());
    }
    parts
}

/// The text inside the parenthesis that opens at byte `open` of `sql`, and the byte after its
/// closing one.
pub fn balanced(sql: &str, open: usize) -> Option<(&str, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in sql[open..].char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&sql[open + 1..open + i], open + i + 1));
                }
            }
            _ => {}
        }
    }
    None
}

/// Byte offsets of `keyword` (case-insensitive, as a whole word) outside quotes.
pub fn keyword_positions(sql: &str, keyword: &str) -> Vec<usize> {
    let bytes = sql.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'\'' | b'"' | b'`' => quote = Some(b),
            b'[' => quote = Some(b']'),
            // A keyword is ASCII: it never starts inside a multi-byte character.
            _ if !b.is_ascii() => {}
            _ => {
                let end = i + keyword.len();
                if end <= bytes.len()
                    && sql.is_char_boundary(end)
                    && sql[i..end].eq_ignore_ascii_case(keyword)
                    && (i == 0 || !is_word(bytes[i - 1]))
                    && bytes.get(end).is_none_or(|&b| !is_word(b))
                {
                    found.push(i);
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    found
}

/// An identifier without its quotes (`"a""b"`, `` `a` ``, `[a]`), or the word as it is.
pub fn unquote_identifier(name: &str) -> String {
    let name = name.trim();
    let mut chars = name.chars();
    match (chars.next(), name.chars().last()) {
        (Some(open @ ('"' | '`')), Some(close)) if close == open && name.len() >= 2 => {
            let doubled: String = [open, open].iter().collect();
            name[1..name.len() - 1].replace(&doubled, &open.to_string())
        }
        (Some('['), Some(']')) => name[1..name.len() - 1].to_owned(),
        _ => name.to_owned(),
    }
}

/// The first word of `sql` (an identifier, quoted or not) and the rest.
pub fn first_identifier(sql: &str) -> (String, &str) {
    let sql = sql.trim_start();
    let end = match sql.chars().next() {
        Some(q @ ('"' | '`')) => sql[1..].find(q).map_or(sql.len(), |i| i + 2),
        Some('[') => sql.find(']').map_or(sql.len(), |i| i + 1),
        _ => sql
            .find(|c: char| c.is_whitespace() || c == '(' || c == ',')
            .unwrap_or(sql.len()),
    };
    (unquote_identifier(&sql[..end]), &sql[end..])
}

/// `CHECK (…)` constraints in a `CREATE TABLE` statement: `(name, condition)`, the name when
/// `CONSTRAINT name` comes before.
pub fn checks_in_create_table(sql: &str) -> Vec<(Option<String>, String)> {
    let mut checks = Vec::new();
    let constraints = keyword_positions(sql, "CONSTRAINT");
    for at in keyword_positions(sql, "CHECK") {
        let after = at + "CHECK".len();
        let Some(open) = sql[after..].find('(').map(|i| after + i) else {
            continue;
        };
        if !sql[after..open].trim().is_empty() {
            continue;
        }
        let Some((condition, _)) = balanced(sql, open) else {
            continue;
        };
        // `CONSTRAINT name CHECK`: the last CONSTRAINT before, with only its name between.
        let name = constraints.iter().rev().find(|&&c| c < at).and_then(|&c| {
            let (name, rest) = first_identifier(&sql[c + "CONSTRAINT".len()..at]);
            rest.trim().is_empty().then_some(name)
        });
        checks.push((name, condition.trim().to_owned()));
    }
    checks
}

/// The definitions inside `CREATE TABLE name (…)`: columns and table constraints.
pub fn create_table_items(sql: &str) -> Vec<String> {
    match sql.find('(').and_then(|open| balanced(sql, open)) {
        Some((body, _)) => split_top_level(body),
        None => Vec::new(),
    }
}

/// The expression of a generated column in its definition (`… GENERATED ALWAYS AS (expr)
/// STORED`, or `… AS (expr)`), and whether it is stored.
pub fn generated_in_definition(definition: &str) -> Option<(String, bool)> {
    let at = *keyword_positions(definition, "AS").first()?;
    let open = definition[at..].find('(')? + at;
    let (expression, end) = balanced(definition, open)?;
    let stored = !keyword_positions(&definition[end..], "STORED").is_empty();
    Some((expression.trim().to_owned(), stored))
}

/// The parts of `CREATE [UNIQUE] INDEX name ON table (entries) [WHERE condition]`: the entries
/// (column names unquoted, expressions as written) and the condition.
pub fn index_definition(sql: &str) -> Option<(Vec<String>, Option<String>)> {
    let on = *keyword_positions(sql, "ON").first()?;
    let open = sql[on..].find('(')? + on;
    let (body, end) = balanced(sql, open)?;
    let entries = split_top_level(body)
        .into_iter()
        .map(|entry| {
            let (name, rest) = first_identifier(&entry);
            let order_words = rest
                .split_whitespace()
                .all(|w| matches!(w.to_ascii_uppercase().as_str(), "ASC" | "DESC" | "COLLATE"));
            if order_words && !entry.starts_with('(') {
                name
            } else {
                entry
            }
        })
        .collect();
    let condition = keyword_positions(&sql[end..], "WHERE")
        .first()
        .map(|&w| sql[end + w + "WHERE".len()..].trim().to_owned());
    Some((entries, condition))
}

/// Strips parentheses that wrap the whole of `sql`.
pub fn strip_outer_parens(mut sql: &str) -> &str {
    loop {
        sql = sql.trim();
        if sql.starts_with('(') {
            if let Some((inner, end)) = balanced(sql, 0) {
                if end == sql.len() {
                    sql = inner;
                    continue;
                }
            }
        }
        return sql;
    }
}

/// A default in one spelling for comparison: outer parentheses and trailing PostgreSQL casts
/// (`'a'::character varying`) dropped, keywords and functions lower-cased,
/// `current_timestamp()` as `current_timestamp`, and a quoted number unquoted (PostgreSQL keeps
/// `DEFAULT -1` as `'-1'::integer`). Quoted text keeps its case.
pub fn normalize_default(sql: &str) -> String {
    let mut text = strip_outer_parens(sql).to_owned();
    while let Some(cast) = trailing_cast(&text) {
        text = strip_outer_parens(&text[..cast]).to_owned();
    }
    if text.starts_with('\'') {
        let inner = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\''));
        if let Some(number) = inner.filter(|t| t.parse::<f64>().is_ok()) {
            return number.to_owned();
        }
        return text;
    }
    let lower = text.to_ascii_lowercase();
    // `current_timestamp(6)`: the precision follows the column's, so it is one default.
    let precision = lower
        .strip_prefix("current_timestamp(")
        .and_then(|rest| rest.strip_suffix(')'))
        .is_some_and(|digits| digits.chars().all(|c| c.is_ascii_digit()));
    if precision || lower == "now()" {
        return "current_timestamp".to_owned();
    }
    lower
}

/// Where a trailing `::type` cast starts, when `sql` ends with one outside quotes.
fn trailing_cast(sql: &str) -> Option<usize> {
    let at = sql.rfind("::")?;
    let mut quote = false;
    for c in sql[..at].chars() {
        if c == '\'' {
            quote = !quote;
        }
    }
    let ty = &sql[at + 2..];
    let is_type = !quote
        && !ty.is_empty()
        && ty.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, ' ' | '_' | '(' | ')' | ',' | '[' | ']' | '"' | '.')
        });
    is_type.then_some(at)
}

/// A referential action as catalogs spell it (`CASCADE`, `SET NULL`, `NO ACTION`; PostgreSQL's
/// one-letter codes `a r c n d`); `NO ACTION` and unknown text are `None`, the default.
pub fn referential_action(text: &str) -> Option<ReferentialAction> {
    match text.trim().to_ascii_uppercase().as_str() {
        "CASCADE" | "C" => Some(ReferentialAction::Cascade),
        "SET NULL" | "N" => Some(ReferentialAction::SetNull),
        "SET DEFAULT" | "D" => Some(ReferentialAction::SetDefault),
        "RESTRICT" | "R" => Some(ReferentialAction::Restrict),
        _ => None,
    }
}

/// A type name in the spellings the three databases and philtre's DDL share (`INTEGER`,
/// `int(11)`, `character varying(50)`, `VARCHAR(50)`, `numeric(12,2)`, `timestamp without time
/// zone`, `integer[]`, `int(10) unsigned`), or `None` for a name it does not know.
pub fn parse_standard_type(sql_type: &str) -> Option<ColumnType> {
    let lower = sql_type.trim().to_ascii_lowercase();
    if let Some(element) = lower.strip_suffix("[]") {
        return parse_standard_type(element).map(|e| ColumnType::Array(Box::new(e)));
    }
    if let Some(signed) = lower.strip_suffix(" unsigned") {
        return parse_standard_type(signed).map(|e| ColumnType::Unsigned(Box::new(e)));
    }
    let (base, args) = match lower.find('(') {
        Some(open) => {
            let close = lower.rfind(')')?;
            let args: Vec<u32> = lower[open + 1..close]
                .split(',')
                .filter_map(|a| a.trim().parse().ok())
                .collect();
            let rest = lower[close + 1..].trim();
            (
                format!("{} {rest}", lower[..open].trim()).trim().to_owned(),
                args,
            )
        }
        None => (lower.clone(), Vec::new()),
    };
    let length = args.first().copied();
    Some(match base.as_str() {
        "boolean" | "bool" => ColumnType::Bool,
        "smallint" | "int2" | "smallserial" => ColumnType::SmallInt,
        "integer" | "int" | "int4" | "serial" | "mediumint" => ColumnType::Integer,
        "bigint" | "int8" | "bigserial" => ColumnType::BigInt,
        "real" | "float" | "float4" => ColumnType::Float,
        "double precision" | "double" | "float8" => ColumnType::Double,
        "text" | "clob" | "tinytext" | "mediumtext" | "longtext" => {
            ColumnType::Text { max_length: None }
        }
        "varchar" | "character varying" | "char" | "character" | "nvarchar" | "nchar"
        | "bpchar" => ColumnType::Text { max_length: length },
        "blob" | "bytea" | "tinyblob" | "mediumblob" | "longblob" => {
            ColumnType::Binary { max_length: None }
        }
        "varbinary" | "binary" => ColumnType::Binary { max_length: length },
        "date" => ColumnType::Date,
        "time" | "time without time zone" => ColumnType::Time,
        "timestamp" | "timestamp without time zone" | "datetime" => ColumnType::Timestamp,
        "timestamp with time zone" | "timestamptz" => ColumnType::Timestamptz,
        "numeric" | "decimal" => ColumnType::Numeric {
            precision: match args.as_slice() {
                [p, s] => Some((*p, *s)),
                [p] => Some((*p, 0)),
                _ => None,
            },
        },
        "uuid" => ColumnType::Uuid,
        "json" => ColumnType::Json,
        "jsonb" => ColumnType::Jsonb,
        "interval" => ColumnType::Interval,
        "inet" => ColumnType::Inet,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_compare_in_one_spelling() {
        assert_eq!(normalize_default("'acme'::character varying"), "'acme'");
        assert_eq!(normalize_default("'-1'::integer"), "-1");
        assert_eq!(normalize_default("(0)"), "0");
        assert_eq!(
            normalize_default("current_timestamp()"),
            "current_timestamp"
        );
        assert_eq!(normalize_default("CURRENT_TIMESTAMP"), "current_timestamp");
        assert_eq!(normalize_default("'It''s'"), "'It''s'");
        assert_eq!(normalize_default("'a::b'"), "'a::b'");
        assert_eq!(normalize_default("'{}'::jsonb"), "'{}'");
    }

    #[test]
    fn checks_and_generated_columns_are_found_in_create_table() {
        let sql = r#"CREATE TABLE "t" ("a" INTEGER NOT NULL CHECK (a > 0), "b" TEXT GENERATED ALWAYS AS (upper("c")) STORED, "c" TEXT, CONSTRAINT "ck_x" CHECK ((a < 10) AND c <> 'CHECK ('))"#;
        let checks = checks_in_create_table(sql);
        assert_eq!(
            checks,
            vec![
                (None, "a > 0".to_owned()),
                (
                    Some("ck_x".to_owned()),
                    "(a < 10) AND c <> 'CHECK ('".to_owned()
                )
            ]
        );
        let items = create_table_items(sql);
        assert_eq!(items.len(), 4);
        assert_eq!(
            generated_in_definition(&items[1]),
            Some((r#"upper("c")"#.to_owned(), true))
        );
    }

    #[test]
    fn type_names_of_every_database_are_read() {
        let text = |n| ColumnType::Text { max_length: n };
        assert_eq!(
            parse_standard_type("character varying(50)"),
            Some(text(Some(50)))
        );
        assert_eq!(parse_standard_type("VARCHAR(50)"), Some(text(Some(50))));
        assert_eq!(parse_standard_type("int(11)"), Some(ColumnType::Integer));
        assert_eq!(
            parse_standard_type("int(10) unsigned"),
            Some(ColumnType::Unsigned(Box::new(ColumnType::Integer)))
        );
        assert_eq!(
            parse_standard_type("NUMERIC(12, 2)"),
            Some(ColumnType::Numeric {
                precision: Some((12, 2))
            })
        );
        assert_eq!(
            parse_standard_type("timestamp with time zone"),
            Some(ColumnType::Timestamptz)
        );
        assert_eq!(
            parse_standard_type("integer[]"),
            Some(ColumnType::Array(Box::new(ColumnType::Integer)))
        );
        assert_eq!(parse_standard_type("tsvector"), None);
    }

    #[test]
    fn names_and_defaults_beyond_ascii_are_read_without_a_panic() {
        let sql = "CREATE TABLE \"café\" (\"prénom\" TEXT CHECK (\"prénom\" <> 'é'), CONSTRAINT \"ça\" CHECK (1 = 1))";
        assert_eq!(
            checks_in_create_table(sql),
            vec![
                (None, "\"prénom\" <> 'é'".to_owned()),
                (Some("ça".to_owned()), "1 = 1".to_owned())
            ]
        );
        assert_eq!(normalize_default("'é"), "'é");
        assert_eq!(normalize_default("'crème'::text"), "'crème'");
    }

    #[test]
    fn index_entries_and_condition() {
        let (entries, condition) = index_definition(
            r#"CREATE UNIQUE INDEX "ix" ON "t" ("a" DESC, lower(b)) WHERE a IS NOT NULL"#,
        )
        .expect("parses");
        assert_eq!(entries, vec!["a".to_owned(), "lower(b)".to_owned()]);
        assert_eq!(condition.as_deref(), Some("a IS NOT NULL"));
    }
}
