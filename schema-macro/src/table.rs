//! `table!`: parses table declarations and generates the zero-sized table and column types.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Type, braced, parenthesized};

/// Tuples wider than this are nested, so no trait needs impls for huge tuples.
pub const TUPLE_CHUNK: usize = 12;

struct Tables(Vec<TableDecl>);

struct TableDecl {
    docs: Vec<Attribute>,
    sql_name: Option<LitStr>,
    options: TableOptions,
    name: Ident,
    primary_key: Vec<Ident>,
    columns: Vec<ColumnDecl>,
}

struct ColumnDecl {
    docs: Vec<Attribute>,
    sql_name: Option<LitStr>,
    options: ColumnOptions,
    name: Ident,
    ty: Type,
    references: Option<Reference>,
}

struct Reference {
    table: Ident,
    column: Ident,
    actions: Actions,
}

/// What follows a reference: `on delete …`, `on update …`, `deferrable [initially deferred]`,
/// each optional, in any order.
#[derive(Default)]
struct Actions {
    on_delete: Option<TokenStream>,
    on_update: Option<TokenStream>,
    deferrable: Option<TokenStream>,
}

/// `#[foreign_key(name: (a, b) references parent (x, y) on delete …)]`: a composite foreign key.
struct CompositeReference {
    name: Ident,
    columns: Vec<Ident>,
    table: Ident,
    foreign_columns: Vec<Ident>,
    actions: Actions,
}

impl Parse for CompositeReference {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        let inner;
        parenthesized!(inner in input);
        let columns: Vec<Ident> = Punctuated::<Ident, Token![,]>::parse_terminated(&inner)?
            .into_iter()
            .collect();
        let word: Ident = input.parse()?;
        if word != "references" {
            return Err(syn::Error::new(
                word.span(),
                "write `#[foreign_key(name: (a, b) references parent (x, y))]`",
            ));
        }
        let table: Ident = input.parse()?;
        let inner;
        parenthesized!(inner in input);
        let foreign_columns: Vec<Ident> = Punctuated::<Ident, Token![,]>::parse_terminated(&inner)?
            .into_iter()
            .collect();
        if columns.len() < 2 || columns.len() != foreign_columns.len() || columns.len() > 4 {
            return Err(syn::Error::new(
                name.span(),
                "a composite foreign key names 2 to 4 columns, and as many referenced columns; \
                 a one-column key is written on the column: `col -> Type references parent(id)`",
            ));
        }
        let actions = referential_actions(input)?;
        Ok(CompositeReference {
            name,
            columns,
            table,
            foreign_columns,
            actions,
        })
    }
}

#[derive(Default)]
struct TableOptions {
    foreign_keys: Vec<CompositeReference>,
    unique: Vec<Vec<Ident>>,
    indexes: Vec<IndexDecl>,
    checks: Vec<(Option<Ident>, LitStr)>,
    comment: Option<LitStr>,
    temporary: bool,
    schema: Option<LitStr>,
    /// `#[sqlite_on_conflict(primary_key = "…", unique = "…", not_null = "…")]`, as the
    /// `ConflictResolution` paths of each.
    sqlite_on_conflict: Vec<(Ident, TokenStream)>,
    /// `#[cte]`: the table names a CTE and is never created.
    cte: bool,
    /// `#[logical_key]`: the key in parentheses is not a PRIMARY KEY in the database.
    logical_key: bool,
}

/// `#[index(a, b, where = "…", postgresql_using = "…", mysql_using = "…", expression = "…",
/// name = "…")]`.
struct IndexDecl {
    unique: bool,
    columns: Vec<Ident>,
    expressions: Vec<LitStr>,
    where_sql: Option<LitStr>,
    postgresql_using: Option<LitStr>,
    mysql_using: Option<LitStr>,
    mysql_length: Option<u32>,
    name: Option<LitStr>,
}

/// One item of `#[index(..)]`: a column, or `key = "…"` (`mysql_length = 20`).
enum IndexItem {
    Column(Ident),
    Option(Ident, syn::Lit),
}

impl Parse for IndexItem {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        // `where` is a keyword; it is only ever an option name here.
        let ident: Ident = if input.peek(Token![where]) {
            let keyword = input.parse::<Token![where]>()?;
            Ident::new("where", keyword.span)
        } else {
            input.parse()?
        };
        if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Ok(IndexItem::Option(ident, input.parse()?))
        } else {
            Ok(IndexItem::Column(ident))
        }
    }
}

fn index_decl(attr: &Attribute, unique: bool) -> syn::Result<IndexDecl> {
    let items = attr.parse_args_with(Punctuated::<IndexItem, Token![,]>::parse_terminated)?;
    let mut index = IndexDecl {
        unique,
        columns: Vec::new(),
        expressions: Vec::new(),
        where_sql: None,
        postgresql_using: None,
        mysql_using: None,
        mysql_length: None,
        name: None,
    };
    for item in items {
        match item {
            IndexItem::Column(column) => index.columns.push(column),
            IndexItem::Option(key, syn::Lit::Int(length)) if key == "mysql_length" => {
                index.mysql_length = Some(length.base10_parse()?);
            }
            IndexItem::Option(key, syn::Lit::Str(value)) => match key.to_string().as_str() {
                "expression" => index.expressions.push(value),
                "where" => index.where_sql = Some(value),
                "postgresql_using" => index.postgresql_using = Some(value),
                "mysql_using" => index.mysql_using = Some(value),
                "name" => index.name = Some(value),
                _ => {
                    return Err(syn::Error::new(
                        key.span(),
                        "expected a column, `expression = \"…\"`, `where = \"…\"`, \
                         `postgresql_using = \"…\"`, `mysql_using = \"…\"`, `mysql_length = 20` \
                         or `name = \"…\"`",
                    ));
                }
            },
            IndexItem::Option(key, _) => {
                return Err(syn::Error::new(
                    key.span(),
                    "write `key = \"…\"` (or `mysql_length = 20`)",
                ));
            }
        }
    }
    if index.columns.is_empty() && index.expressions.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "an index names at least one column or `expression = \"…\"`",
        ));
    }
    if !index.expressions.is_empty() && index.name.is_none() {
        return Err(syn::Error::new_spanned(
            attr,
            "an index on an expression needs `name = \"…\"`",
        ));
    }
    Ok(index)
}

/// `#[check = "…"]` or `#[check(name: "…")]`.
fn check_decl(attr: &Attribute) -> syn::Result<(Option<Ident>, LitStr)> {
    if let syn::Meta::NameValue(meta) = &attr.meta {
        return Ok((None, lit_str(&meta.value, "check")?));
    }
    attr.parse_args_with(|input: ParseStream| {
        let name: Ident = input.parse()?;
        input.parse::<Token![:]>()?;
        Ok((Some(name), input.parse()?))
    })
}

#[derive(Default)]
struct ColumnOptions {
    auto_increment: bool,
    version: bool,
    unique: bool,
    default: Option<TokenStream>,
    max_length: Option<u32>,
    precision: Option<(u32, u32)>,
    check: Option<LitStr>,
    comment: Option<LitStr>,
    generated: Option<(LitStr, bool)>,
}

fn lit_str(value: &syn::Expr, what: &str) -> syn::Result<LitStr> {
    match value {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.clone()),
        _ => Err(syn::Error::new_spanned(
            value,
            format!("write `#[{what} = \"…\"]`"),
        )),
    }
}

fn idents(attr: &Attribute) -> syn::Result<Vec<Ident>> {
    Ok(attr
        .parse_args_with(Punctuated::<Ident, Token![,]>::parse_terminated)?
        .into_iter()
        .collect())
}

/// `#[unique(a, b)]`, `#[index(a)]`, `#[unique_index(a, b)]`, `#[check = "…"]`,
/// `#[check(name: "…")]`, `#[comment = "…"]`, `#[temporary]`, `#[schema = "…"]`.
fn table_options(attrs: Vec<Attribute>) -> syn::Result<(Vec<Attribute>, TableOptions)> {
    let mut rest = Vec::new();
    let mut options = TableOptions::default();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("unique") {
            options.unique.push(idents(&attr)?);
        } else if path.is_ident("index") {
            options.indexes.push(index_decl(&attr, false)?);
        } else if path.is_ident("unique_index") {
            options.indexes.push(index_decl(&attr, true)?);
        } else if path.is_ident("check") {
            options.checks.push(check_decl(&attr)?);
        } else if path.is_ident("cte") {
            attr.meta.require_path_only()?;
            options.cte = true;
        } else if path.is_ident("temporary") {
            attr.meta.require_path_only()?;
            options.temporary = true;
        } else if path.is_ident("logical_key") {
            attr.meta.require_path_only()?;
            options.logical_key = true;
        } else if path.is_ident("schema") {
            options.schema = Some(lit_str(&attr.meta.require_name_value()?.value, "schema")?);
        } else if path.is_ident("comment") {
            options.comment = Some(lit_str(&attr.meta.require_name_value()?.value, "comment")?);
        } else if path.is_ident("foreign_key") {
            options.foreign_keys.push(attr.parse_args()?);
        } else if path.is_ident("sqlite_on_conflict") {
            options.sqlite_on_conflict = sqlite_on_conflict(&attr)?;
        } else {
            rest.push(attr);
        }
    }
    Ok((rest, options))
}

/// `#[sqlite_on_conflict(primary_key = "replace", unique = "ignore", not_null = "fail")]`.
fn sqlite_on_conflict(attr: &Attribute) -> syn::Result<Vec<(Ident, TokenStream)>> {
    let pairs =
        attr.parse_args_with(Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated)?;
    let mut clauses = Vec::new();
    for pair in pairs {
        let constraint = pair.path.get_ident().cloned().filter(|name| {
            ["primary_key", "unique", "not_null"].contains(&name.to_string().as_str())
        });
        let Some(constraint) = constraint else {
            return Err(syn::Error::new_spanned(
                &pair.path,
                "SQLite's conflict clauses go on `primary_key`, `unique` or `not_null`",
            ));
        };
        let value = lit_str(&pair.value, "sqlite_on_conflict")?;
        let resolution = match value.value().to_ascii_lowercase().as_str() {
            "rollback" => quote!(Rollback),
            "abort" => quote!(Abort),
            "fail" => quote!(Fail),
            "ignore" => quote!(Ignore),
            "replace" => quote!(Replace),
            _ => {
                return Err(syn::Error::new_spanned(
                    &value,
                    "a SQLite conflict clause is one of \"rollback\", \"abort\", \"fail\", \"ignore\", \"replace\"",
                ));
            }
        };
        clauses.push((constraint, resolution));
    }
    Ok(clauses)
}

/// `#[auto_increment]`, `#[version]`, `#[unique]`, `#[default = 0]`, `#[default = current_timestamp]`,
/// `#[default_sql = "…"]`, `#[max_length = 50]`, `#[precision(12, 2)]`, `#[check = "…"]`,
/// `#[comment = "…"]`, `#[generated = "…"]` (stored), `#[generated_virtual = "…"]`.
fn column_options(attrs: Vec<Attribute>) -> syn::Result<(Vec<Attribute>, ColumnOptions)> {
    let mut rest = Vec::new();
    let mut options = ColumnOptions::default();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("auto_increment") {
            attr.meta.require_path_only()?;
            options.auto_increment = true;
        } else if path.is_ident("version") {
            attr.meta.require_path_only()?;
            options.version = true;
        } else if path.is_ident("unique") {
            attr.meta.require_path_only()?;
            options.unique = true;
        } else if path.is_ident("default") {
            let value = &attr.meta.require_name_value()?.value;
            options.default = Some(default_literal(value)?);
        } else if path.is_ident("default_sql") {
            let sql = lit_str(&attr.meta.require_name_value()?.value, "default_sql")?;
            options.default = Some(quote!(::philtre::__private::ColumnDefault::Sql(#sql)));
        } else if path.is_ident("max_length") {
            let value = &attr.meta.require_name_value()?.value;
            options.max_length = Some(match value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(i),
                    ..
                }) => i.base10_parse()?,
                _ => return Err(syn::Error::new_spanned(value, "write `#[max_length = 50]`")),
            });
        } else if path.is_ident("precision") {
            let digits =
                attr.parse_args_with(Punctuated::<syn::LitInt, Token![,]>::parse_terminated)?;
            let digits: Vec<u32> = digits
                .iter()
                .map(syn::LitInt::base10_parse)
                .collect::<syn::Result<_>>()?;
            match digits.as_slice() {
                [p, s] => options.precision = Some((*p, *s)),
                [p] => options.precision = Some((*p, 0)),
                _ => {
                    return Err(syn::Error::new_spanned(
                        &attr,
                        "write `#[precision(12, 2)]`",
                    ));
                }
            }
        } else if path.is_ident("check") {
            options.check = Some(lit_str(&attr.meta.require_name_value()?.value, "check")?);
        } else if path.is_ident("comment") {
            options.comment = Some(lit_str(&attr.meta.require_name_value()?.value, "comment")?);
        } else if path.is_ident("generated") {
            let sql = lit_str(&attr.meta.require_name_value()?.value, "generated")?;
            options.generated = Some((sql, true));
        } else if path.is_ident("generated_virtual") {
            let sql = lit_str(&attr.meta.require_name_value()?.value, "generated_virtual")?;
            options.generated = Some((sql, false));
        } else {
            rest.push(attr);
        }
    }
    if let Some((sql, _)) = &options.generated {
        if options.default.is_some() || options.auto_increment || options.version {
            return Err(syn::Error::new(
                sql.span(),
                "a generated column is computed by the database: it takes no default, \
                 `#[auto_increment]` or `#[version]`",
            ));
        }
    }
    Ok((rest, options))
}

/// A default written as a Rust literal, as SQL text.
fn default_literal(value: &syn::Expr) -> syn::Result<TokenStream> {
    let sql = match value {
        syn::Expr::Path(p) if p.path.is_ident("current_timestamp") => {
            return Ok(quote!(
                ::philtre::__private::ColumnDefault::CurrentTimestamp
            ));
        }
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            syn::Lit::Int(i) => i.base10_digits().to_owned(),
            syn::Lit::Float(f) => f.base10_digits().to_owned(),
            syn::Lit::Bool(b) => if b.value { "TRUE" } else { "FALSE" }.to_owned(),
            syn::Lit::Str(s) => {
                let text = s.value();
                return Ok(quote!(::philtre::__private::ColumnDefault::Text(#text)));
            }
            _ => {
                return Err(syn::Error::new_spanned(
                    value,
                    "a default is a number, `true`/`false` or a string",
                ));
            }
        },
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(i),
                ..
            }) => format!("-{}", i.base10_digits()),
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Float(f),
                ..
            }) => format!("-{}", f.base10_digits()),
            _ => {
                return Err(syn::Error::new_spanned(
                    value,
                    "a default is a number, `true`/`false` or a string",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                value,
                "a default is a literal or `current_timestamp`; for any other SQL write `#[default_sql = \"…\"]`",
            ));
        }
    };
    Ok(quote!(::philtre::__private::ColumnDefault::Literal(#sql)))
}

/// `on delete …`, `on update …` and `deferrable [initially deferred | initially immediate]`
/// after a reference, in any order, each optional.
fn referential_actions(input: ParseStream) -> syn::Result<Actions> {
    let mut actions = Actions::default();
    while input.peek(Ident) {
        let word = input.fork().parse::<Ident>()?;
        if word == "deferrable" {
            input.parse::<Ident>()?;
            let mut when = quote!(InitiallyImmediate);
            if input.peek(Ident) && input.fork().parse::<Ident>()? == "initially" {
                input.parse::<Ident>()?;
                let at: Ident = input.parse()?;
                when = match at.to_string().as_str() {
                    "deferred" => quote!(InitiallyDeferred),
                    "immediate" => quote!(InitiallyImmediate),
                    _ => {
                        return Err(syn::Error::new(
                            at.span(),
                            "expected `initially deferred` or `initially immediate`",
                        ));
                    }
                };
            }
            actions.deferrable = Some(quote!(::std::option::Option::Some(
                ::philtre::__private::Deferrable::#when
            )));
            continue;
        }
        if word != "on" {
            break;
        }
        input.parse::<Ident>()?;
        let event: Ident = input.parse()?;
        match event.to_string().as_str() {
            "delete" => actions.on_delete = Some(referential_action(input)?),
            "update" => actions.on_update = Some(referential_action(input)?),
            _ => {
                return Err(syn::Error::new(
                    event.span(),
                    "expected `on delete …` or `on update …`",
                ));
            }
        }
    }
    Ok(actions)
}

fn referential_action(input: ParseStream) -> syn::Result<TokenStream> {
    let word: Ident = input.parse()?;
    let action = match word.to_string().as_str() {
        "cascade" => quote!(Cascade),
        "restrict" => quote!(Restrict),
        "set" => {
            let what: Ident = input.parse()?;
            match what.to_string().as_str() {
                "null" => quote!(SetNull),
                "default" => quote!(SetDefault),
                _ => {
                    return Err(syn::Error::new(
                        what.span(),
                        "expected `set null` or `set default`",
                    ));
                }
            }
        }
        "no" => {
            let action: Ident = input.parse()?;
            if action != "action" {
                return Err(syn::Error::new(action.span(), "expected `no action`"));
            }
            quote!(NoAction)
        }
        _ => {
            return Err(syn::Error::new(
                word.span(),
                "expected `cascade`, `restrict`, `set null`, `set default` or `no action`",
            ));
        }
    };
    Ok(quote!(::std::option::Option::Some(::philtre::__private::ReferentialAction::#action)))
}

/// Splits `#[sql_name = "…"]` from doc comments; anything else is an error.
fn split_attrs(attrs: Vec<Attribute>) -> syn::Result<(Vec<Attribute>, Option<LitStr>)> {
    let mut docs = Vec::new();
    let mut sql_name = None;
    for attr in attrs {
        if attr.path().is_ident("doc") {
            docs.push(attr);
        } else if attr.path().is_ident("sql_name") {
            let value = &attr.meta.require_name_value()?.value;
            match value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => sql_name = Some(s.clone()),
                _ => {
                    return Err(syn::Error::new_spanned(
                        value,
                        "write `#[sql_name = \"name\"]`",
                    ));
                }
            }
        } else {
            return Err(syn::Error::new_spanned(
                attr,
                "unknown attribute in `table!`; only `#[sql_name = \"...\"]` and doc comments are allowed",
            ));
        }
    }
    Ok((docs, sql_name))
}

impl Parse for Tables {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut tables = Vec::new();
        while !input.is_empty() {
            tables.push(input.parse()?);
        }
        Ok(Tables(tables))
    }
}

impl Parse for TableDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (attrs, options) = table_options(input.call(Attribute::parse_outer)?)?;
        let (docs, sql_name) = split_attrs(attrs)?;
        let name: Ident = input.parse()?;
        if !input.peek(syn::token::Paren) {
            return Err(syn::Error::new(
                name.span(),
                format!(
                    "table `{name}` has no primary key: name its key column(s) in parentheses, \
                     e.g. `{name} (id) {{ … }}` or `{name} (a, b) {{ … }}` for a composite key"
                ),
            ));
        }
        let keys;
        parenthesized!(keys in input);
        let primary_key: Vec<Ident> = Punctuated::<Ident, Token![,]>::parse_terminated(&keys)?
            .into_iter()
            .collect();
        if primary_key.is_empty() {
            return Err(syn::Error::new(
                name.span(),
                format!("table `{name}` has an empty primary key: write `{name} (id) {{ … }}`"),
            ));
        }
        let body;
        braced!(body in input);
        let columns: Vec<ColumnDecl> =
            Punctuated::<ColumnDecl, Token![,]>::parse_terminated(&body)?
                .into_iter()
                .collect();
        Ok(TableDecl {
            docs,
            sql_name,
            options,
            name,
            primary_key,
            columns,
        })
    }
}

impl Parse for ColumnDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (attrs, options) = column_options(input.call(Attribute::parse_outer)?)?;
        let (docs, sql_name) = split_attrs(attrs)?;
        let name: Ident = input.call(Ident::parse_any_ident)?;
        input.parse::<Token![->]>()?;
        let ty: Type = input.parse()?;
        let references = if input.peek(Ident) && input.fork().parse::<Ident>()? == "references" {
            input.parse::<Ident>()?;
            let table: Ident = input.parse()?;
            let inner;
            parenthesized!(inner in input);
            let column: Ident = inner.parse()?;
            let actions = referential_actions(input)?;
            Some(Reference {
                table,
                column,
                actions,
            })
        } else {
            None
        };
        Ok(ColumnDecl {
            docs,
            sql_name,
            options,
            name,
            ty,
            references,
        })
    }
}

trait ParseAnyIdent {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident>;
}

impl ParseAnyIdent for Ident {
    fn parse_any_ident(input: ParseStream) -> syn::Result<Ident> {
        if input.peek(Token![type]) || input.peek(Token![struct]) || input.peek(Token![fn]) {
            let tok: proc_macro2::TokenTree = input.parse()?;
            return Err(syn::Error::new(
                tok.span(),
                format!(
                    "`{tok}` is a Rust keyword and cannot name a column; give the column a Rust name \
                     and keep the SQL name with `#[sql_name = \"{tok}\"] {tok}_ -> …`"
                ),
            ));
        }
        input.parse()
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    match syn::parse2::<Tables>(input) {
        Ok(tables) => {
            let mut out = TokenStream::new();
            for table in &tables.0 {
                match expand_table(table, &tables.0) {
                    Ok(tokens) => out.extend(tokens),
                    Err(e) => out.extend(e.to_compile_error()),
                }
            }
            out
        }
        Err(e) => e.to_compile_error(),
    }
}

fn sql_name_of(sql_name: &Option<LitStr>, name: &Ident) -> String {
    sql_name
        .as_ref()
        .map_or_else(|| name.to_string(), LitStr::value)
}

/// Groups items into a flat tuple, or a tuple of tuples of at most `TUPLE_CHUNK` each.
pub fn chunked(items: Vec<TokenStream>) -> TokenStream {
    if items.len() <= TUPLE_CHUNK {
        return quote!((#(#items,)*));
    }
    let groups = items.chunks(TUPLE_CHUNK).map(|c| quote!((#(#c,)*)));
    quote!((#(#groups,)*))
}

/// The SQL type of a column and whether it is `Nullable<…>` (by its outermost name).
fn is_nullable(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Nullable"))
}

/// The name of `ty` when it is a one-segment path (`Text`, `Array<Integer>`), the form in which
/// a column type names one of philtre's SQL types: the generated module imports them (most by
/// name, the rest through `philtre::types::*`, where another type of that name in scope would
/// be ambiguous and refused).
fn single_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(&p.path.segments[0])
        }
        _ => None,
    }
}

/// `X` of a column type written `Nullable<X>`, or the type itself.
fn without_nullable(ty: &Type) -> &Type {
    if let Some(segment) = single_segment(ty)
        && segment.ident == "Nullable"
        && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
        && let [syn::GenericArgument::Type(inner)] = args.args.iter().collect::<Vec<_>>()[..]
    {
        return inner;
    }
    ty
}

/// Whether `ty` names one of philtre's SQL types that is certainly not a number (`Text`,
/// `Nullable<Bool>`, `Array<Integer>`, …). A column of such a type gets no `+ - * / % -x`
/// operators and is no numeric operand: every use of them would be an error anyway, and their
/// impls were the largest part of the time the compiler spends on a `table!` (a third of
/// `cargo check` of the 200-query program of `bench/buildtime.py`). Any other type (numbers, a
/// path, a type of the user's) keeps them.
fn is_known_non_numeric(ty: &Type) -> bool {
    const NOT_NUMBERS: &[&str] = &[
        "Bool",
        "Text",
        "Binary",
        "Date",
        "Time",
        "Timestamp",
        "Timestamptz",
        "Interval",
        "Uuid",
        "Json",
        "Jsonb",
        "Inet",
        "Array",
    ];
    single_segment(without_nullable(ty))
        .is_some_and(|segment| NOT_NUMBERS.iter().any(|name| segment.ident == name))
}

/// The SQL type names `table!` imports by name into each table's module: a one-segment path
/// with one of these names is philtre's type, whatever else is in scope.
const IMPORTED_SQL_TYPES: &[&str] = &[
    "Array",
    "BigInt",
    "Binary",
    "Bool",
    "Date",
    "Double",
    "Float",
    "Integer",
    "Json",
    "Jsonb",
    "Numeric",
    "SmallInt",
    "Text",
    "Time",
    "Timestamp",
    "Timestamptz",
    "Unsigned",
    "Uuid",
];

/// The column type without `Nullable`, written out where the macro can tell it (`Integer`,
/// `Nullable<Text>`, `Array<Integer>`); otherwise `<ty as SqlType>::NotNull`, for the compiler
/// to work out. Writing it out spares the compiler that projection in every column's impls.
fn not_null_type(ty: &Type) -> TokenStream {
    let inner = without_nullable(ty);
    match single_segment(inner) {
        Some(segment) if IMPORTED_SQL_TYPES.iter().any(|name| segment.ident == name) => {
            quote!(#inner)
        }
        _ => quote!(<#ty as ::philtre::__private::SqlType>::NotNull),
    }
}

fn expand_table(table: &TableDecl, all: &[TableDecl]) -> syn::Result<TokenStream> {
    let name = &table.name;
    let table_sql = sql_name_of(&table.sql_name, name);
    for (i, c) in table.columns.iter().enumerate() {
        if table.columns[..i].iter().any(|d| d.name == c.name) {
            return Err(syn::Error::new(
                c.name.span(),
                format!(
                    "column `{}` is declared twice in table `{name}`; remove one, or give it another \
                     Rust name and keep its SQL name with `#[sql_name = \"…\"]`",
                    c.name
                ),
            ));
        }
        if c.name == "table" || c.name == "all_columns" {
            return Err(syn::Error::new(
                c.name.span(),
                format!(
                    "`{}` is reserved inside a table module; name the column differently and keep \
                     its SQL name with `#[sql_name = \"{}\"]`",
                    c.name, c.name
                ),
            ));
        }
    }
    if table.columns.is_empty() {
        return Err(syn::Error::new(
            name.span(),
            format!("table `{name}` declares no column"),
        ));
    }
    for key in &table.primary_key {
        if !table.columns.iter().any(|c| &c.name == key) {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "primary key column `{key}` is not a column of table `{name}`; declare it inside the braces"
                ),
            ));
        }
    }

    let column_names: Vec<&Ident> = table.columns.iter().map(|c| &c.name).collect();
    let column_types: Vec<&Type> = table.columns.iter().map(|c| &c.ty).collect();
    let all_columns = chunked(column_names.iter().map(|c| quote!(#c)).collect());
    let all_sql_types = chunked(column_types.iter().map(|t| quote!(#t)).collect());
    let pk = &table.primary_key;
    let pk_type = if pk.len() == 1 {
        quote!(#(#pk)*)
    } else {
        quote!((#(#pk,)*))
    };
    // The columns an INSERT must give: NOT NULL, no default, not generated, not generated by
    // the database as a key (a single integer primary key is, as in SQLAlchemy).
    let integer_key = pk.len() == 1
        && !table.options.logical_key
        && table.columns.iter().any(|c| {
            c.name == pk[0]
                && matches!(&c.ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| {
                    ["SmallInt", "Integer", "BigInt"].contains(&s.ident.to_string().as_str())
                }))
        });
    let required = table
        .columns
        .iter()
        .filter(|c| {
            !is_nullable(&c.ty)
                && c.options.default.is_none()
                && c.options.generated.is_none()
                && !c.options.auto_increment
                && !(integer_key && c.name == pk[0])
        })
        .rev()
        .fold(quote!(()), |tail, c| {
            let name = &c.name;
            quote!((#name, #tail))
        });
    let pk_sql: Vec<String> = pk
        .iter()
        .map(|k| {
            let c = table.columns.iter().find(|c| &c.name == k);
            c.map_or_else(|| k.to_string(), |c| sql_name_of(&c.sql_name, &c.name))
        })
        .collect();

    let sql_of = |ident: &Ident| -> syn::Result<String> {
        table
            .columns
            .iter()
            .find(|c| &c.name == ident)
            .map(|c| sql_name_of(&c.sql_name, &c.name))
            .ok_or_else(|| {
                syn::Error::new(
                    ident.span(),
                    format!("`{ident}` is not a column of table `{name}`"),
                )
            })
    };
    let opt_str = |s: &Option<LitStr>| match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    };
    let column_descriptions = table.columns.iter().map(|c| {
        let sql = sql_name_of(&c.sql_name, &c.name);
        let rust = c.name.to_string();
        let ty = &c.ty;
        let nullable = is_nullable(ty);
        let primary = table.primary_key.contains(&c.name);
        let o = &c.options;
        let auto = o.auto_increment;
        let version = o.version;
        let unique = o.unique;
        let default = match &o.default {
            Some(d) => quote!(::std::option::Option::Some(#d)),
            None => quote!(::std::option::Option::None),
        };
        let max_length = match o.max_length {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        };
        let precision = match o.precision {
            Some((p, sc)) => quote!(::std::option::Option::Some((#p, #sc))),
            None => quote!(::std::option::Option::None),
        };
        let check = opt_str(&o.check);
        let comment = opt_str(&o.comment);
        let generated = match &o.generated {
            Some((sql, stored)) => quote!(::std::option::Option::Some(
                ::philtre::__private::Generated { sql: #sql, stored: #stored }
            )),
            None => quote!(::std::option::Option::None),
        };
        quote! {
            ::philtre::__private::ColumnDescription {
                name: #sql,
                rust_name: #rust,
                sql_type: <#ty as ::philtre::__private::SqlType>::NAME,
                kind: <<#ty as ::philtre::__private::SqlType>::NotNull as ::philtre::__private::SqlType>::KIND,
                nullable: #nullable,
                primary_key: #primary,
                auto_increment: #auto,
                version: #version,
                unique: #unique,
                default: #default,
                max_length: #max_length,
                precision: #precision,
                check: #check,
                comment: #comment,
                generated: #generated,
            }
        }
    });
    let mut unique_constraints = Vec::new();
    for group in &table.options.unique {
        let cols = group.iter().map(&sql_of).collect::<syn::Result<Vec<_>>>()?;
        unique_constraints.push(quote!(&[#(#cols),*]));
    }
    let mut indexes = Vec::new();
    for index in &table.options.indexes {
        let cols = index
            .columns
            .iter()
            .map(&sql_of)
            .collect::<syn::Result<Vec<_>>>()?;
        // SQLAlchemy's naming convention: ix_<table>_<columns>, ux_ for unique indexes.
        let index_name = match &index.name {
            Some(name) => name.value(),
            None => format!(
                "{}_{}_{}",
                if index.unique { "ux" } else { "ix" },
                table_sql,
                cols.join("_")
            ),
        };
        let unique = index.unique;
        let expressions = &index.expressions;
        let where_sql = opt_str(&index.where_sql);
        let postgresql_using = opt_str(&index.postgresql_using);
        let mysql_using = opt_str(&index.mysql_using);
        let mysql_length = match index.mysql_length {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        };
        indexes.push(quote! {
            ::philtre::__private::IndexDescription {
                name: #index_name,
                columns: &[#(#cols),*],
                unique: #unique,
                expressions: &[#(#expressions),*],
                where_sql: #where_sql,
                postgresql_using: #postgresql_using,
                mysql_using: #mysql_using,
                mysql_length: #mysql_length,
            }
        });
    }
    let checks = table.options.checks.iter().map(|(name, sql)| {
        let name = match name {
            Some(name) => {
                let name = name.to_string();
                quote!(::std::option::Option::Some(#name))
            }
            None => quote!(::std::option::Option::None),
        };
        quote!(::philtre::__private::CheckDescription { name: #name, sql: #sql })
    });
    let temporary = table.options.temporary;
    let logical_key = table.options.logical_key;
    let on_conflict = |name: &str| -> TokenStream {
        match table
            .options
            .sqlite_on_conflict
            .iter()
            .find(|(constraint, _)| constraint == name)
        {
            Some((_, resolution)) => quote!(::std::option::Option::Some(
                ::philtre::__private::ConflictResolution::#resolution
            )),
            None => quote!(::std::option::Option::None),
        }
    };
    let (on_conflict_pk, on_conflict_unique, on_conflict_not_null) = (
        on_conflict("primary_key"),
        on_conflict("unique"),
        on_conflict("not_null"),
    );
    let table_schema = opt_str(&table.options.schema);
    let table_comment = opt_str(&table.options.comment);

    // Every foreign key, one column or several: its description for the DDL.
    let mut reference_checks = Vec::new();
    let mut foreign_keys = Vec::new();
    for (c, reference) in table
        .columns
        .iter()
        .filter_map(|c| c.references.as_ref().map(|r| (c, r)))
    {
        let (ftable, fcolumn) = (&reference.table, &reference.column);
        reference_checks.push(quote! {
            const _: fn() = || {
                let _: super::#ftable::#fcolumn = super::#ftable::#fcolumn;
            };
        });
        foreign_keys.push(foreign_key_description(
            all,
            table,
            (&[&c.name], &reference.actions),
            ftable,
            &[fcolumn],
        ));
    }
    // Composite foreign keys also give a type named by the declaration, which the ORM's
    // relationships take (`children(lines::order)`); a column that does not exist fails there.
    let mut composite_keys = Vec::new();
    for reference in &table.options.foreign_keys {
        let ftable = &reference.table;
        let local: Vec<&Ident> = reference.columns.iter().collect();
        let foreign: Vec<&Ident> = reference.foreign_columns.iter().collect();
        foreign_keys.push(foreign_key_description(
            all,
            table,
            (&local, &reference.actions),
            ftable,
            &foreign,
        ));
        let local_sql = sql_names(Some(table), &local);
        let (ftable_sql, foreign_sql) = match all.iter().find(|t| &t.name == ftable) {
            Some(t) => (
                sql_name_of(&t.sql_name, &t.name),
                sql_names(Some(t), &foreign),
            ),
            None => (ftable.to_string(), sql_names(None, &foreign)),
        };
        let (name, cols, fcols) = (
            &reference.name,
            &reference.columns,
            &reference.foreign_columns,
        );
        // `a = x AND b = y AND …`, nested to the left as `.and(..)` would build it.
        let mut pairs = cols
            .iter()
            .zip(fcols.iter())
            .map(|(col, fcol)| quote!(::philtre::__private::Eq<#col, super::#ftable::#fcol>));
        let condition = match pairs.next() {
            Some(first) => pairs.fold(
                first,
                |left, right| quote!(::philtre::__private::And<#left, #right>),
            ),
            None => quote!(()),
        };
        let doc = format!(
            "The composite foreign key `{}` → `{}` ({}): pass it to `children` / `parent`.",
            local_sql.join(", "),
            ftable_sql,
            foreign_sql.join(", ")
        );
        composite_keys.push(quote! {
            #[doc = #doc]
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct #name;

            impl ::philtre::__private::KeyColumns for #name {
                type Table = table;
                type Selection = (#(#cols,)*);
                type SqlType =
                    <(#(#cols,)*) as ::philtre::__private::KeyColumns>::SqlType;
                type Nullability =
                    <(#(#cols,)*) as ::philtre::__private::KeyColumns>::Nullability;
                const NAMES: &'static [&'static str] = &[#(#local_sql),*];
            }

            #[diagnostic::do_not_recommend]
            impl ::philtre::__private::ForeignKey for #name {
                type Target = (#(super::#ftable::#fcols,)*);
            }

            impl ::philtre::__private::ForeignKeyCondition for #name {
                type Condition = #condition;
            }
        });
    }

    // One join path per referenced table; two foreign keys to the same table make a join
    // without `.on(..)` ambiguous, which the join reports.
    let mut targets: Vec<(&Ident, Vec<(&Ident, &Ident)>)> = Vec::new();
    for c in &table.columns {
        if let Some(r) = &c.references {
            match targets.iter_mut().find(|(t, _)| *t == &r.table) {
                Some((_, cols)) => cols.push((&c.name, &r.column)),
                None => targets.push((&r.table, vec![(&c.name, &r.column)])),
            }
        }
    }
    // Each foreign-key column knows the column it references: the ORM's relationships start
    // from it (`children(posts::user_id)`, `parent(posts::user_id)`).
    let foreign_key_columns = table.columns.iter().filter_map(|c| {
        let r = c.references.as_ref()?;
        let (cname, ftable, fcol) = (&c.name, &r.table, &r.column);
        Some(quote! {
            #[diagnostic::do_not_recommend]
            impl ::philtre::__private::ForeignKey for #cname {
                type Target = super::#ftable::#fcol;
            }
        })
    });
    let join_paths = targets.iter().map(|(ftable, cols)| {
        let condition = match cols.as_slice() {
            [(col, fcol)] => quote!(::philtre::__private::Eq<#col, super::#ftable::#fcol>),
            _ => quote!(::philtre::__private::AmbiguousForeignKey<table, super::#ftable::table>),
        };
        quote! {
            impl ::philtre::__private::ForeignKeyTo<super::#ftable::table> for table {
                type Condition = #condition;
            }
        }
    });

    let source_id = crate::source_id::tokens(&table_sql);
    // Where a statement that reads the table is run: a `#[cte]` table must be one of the
    // CTEs of its `.with(..)`. Spanned at the table's name, so that "required for
    // `post_counts::table` to implement `CtesDefined`" shows that line, not the whole `table!`.
    let cte_check = if table.options.cte {
        quote_spanned! {name.span()=>
            impl<Ctes: ::philtre::__private::DefinesCte<#source_id>>
                ::philtre::__private::CtesDefined<Ctes> for table
            where
                Ctes::Answer: ::philtre::__private::CteDefinedHere<table>,
            {
            }
        }
    } else {
        quote! {
            impl<Ctes> ::philtre::__private::CtesDefined<Ctes> for table {}
        }
    };
    let columns = table.columns.iter().enumerate().map(|(position, c)| {
        let cname = &c.name;
        // The position as three hexadecimal digit types, for the GROUP BY key lookup.
        let position_digits = format!("{position:03X}").chars().rev().fold(
            quote!(()),
            |tail, digit| {
                let digit = format_ident!("H{}", digit);
                quote!((::philtre::__private::digits::#digit, #tail))
            },
        );
        let ty = &c.ty;
        let not_null = not_null_type(ty);
        let sql = sql_name_of(&c.sql_name, &c.name);
        let docs = &c.docs;
        let writable = if c.options.generated.is_none() {
            quote!(impl ::philtre::__private::WritableColumn for #cname {})
        } else {
            TokenStream::new()
        };
        let default_doc = format!("Column `{table_sql}.{sql}` ({}).", quote!(#ty));
        // Spanned at the column's name, so that where the compiler points at the type ("`name`
        // does not implement `Add<{integer}>`") it shows the column's declaration, with its
        // SQL type, rather than the whole `table!`.
        let struct_item = quote_spanned!(cname.span()=> pub struct #cname;);
        // Spanned there too: "but `ColumnOf<posts::table>` is implemented for it" then shows
        // the column's line, not the whole `table!`.
        let column_of = quote_spanned! {cname.span()=>
            impl ::philtre::__private::ColumnOf<table> for #cname {
                type Column = Self;
            }
        };
        let arithmetic = if is_known_non_numeric(ty) {
            TokenStream::new()
        } else {
            quote! {
                ::philtre::__impl_arithmetic!([] #cname);
                ::philtre::__impl_numeric_operand!(@column #cname, #not_null);
            }
        };
        quote! {
            #(#docs)*
            #[doc = #default_doc]
            #[derive(Debug, Clone, Copy, Default)]
            #struct_item
            impl ::philtre::__private::Expression for #cname {
                type SqlType = #ty;
            }
            impl ::philtre::__private::Column for #cname {
                type Table = table;
                const NAME: &'static str = #sql;
            }
            impl<__QS, __I> ::philtre::__private::AppearsIn<__QS, __I> for #cname
            where
                __QS: ::philtre::__private::ColumnInScope<table, #cname, __I>,
            {
                type Nullability = <__QS as ::philtre::__private::ColumnInScope<table, #cname, __I>>::Nullability;
                type Aggregation = <__QS as ::philtre::__private::ColumnInScope<table, #cname, __I>>::Aggregation;
                type SqlRow = ::philtre::__private::Seen<
                    <__QS as ::philtre::__private::ColumnInScope<table, #cname, __I>>::Nullability,
                    #ty,
                >;
            }
            impl ::philtre::__private::ColumnPosition for #cname {
                type Position = #position_digits;
            }
            impl ::philtre::__private::KeyIdentity for #cname {
                type Id = ::philtre::__private::ColumnId<#source_id, #position_digits>;
            }
            #column_of
            #writable
            impl<__DB: ::philtre::__private::Backend> ::philtre::__private::QueryFragment<__DB> for #cname {
                fn to_sql(&self, out: &mut ::philtre::__private::SqlWriter<__DB>) {
                    out.push_column(#table_sql, #sql);
                }
                fn collect_binds<'a>(
                    &'a self,
                    _: &mut dyn ::philtre::__private::BindSink<'a, __DB>,
                ) -> ::philtre::__private::QueryResult<()> {
                    Ok(())
                }
                fn has_static_sql(&self) -> bool {
                    true
                }
            }
            #arithmetic
            #[diagnostic::do_not_recommend]
            impl<__ST: ::philtre::__private::SqlType> ::philtre::__private::AsExpression<__ST> for #cname
            where
                #not_null: ::philtre::__private::SameSqlType<<__ST as ::philtre::__private::SqlType>::NotNull>,
            {
                type Expression = Self;
                fn into_expression(self) -> Self {
                    self
                }
            }
        }
    });

    let docs = &table.docs;
    let table_doc = format!("The `{table_sql}` table.");
    let module_doc = format!("Table `{table_sql}`: its table type, columns and description.");
    let mod_span = Span::call_site();
    let module = format_ident!("{}", name, span = mod_span);
    Ok(quote! {
        #(#docs)*
        #[doc = #module_doc]
        #[allow(non_camel_case_types, non_upper_case_globals, dead_code, unused_imports)]
        pub mod #module {
            use super::*;
            use ::philtre::types::*;
            // Named imports win over the globs above, so a `philtre::Json<T>` (or any other
            // `Json`) in the parent scope cannot make the SQL type names ambiguous.
            #[allow(unused_imports)]
            use ::philtre::types::{
                Array, BigInt, Binary, Bool, Date, Double, Float, Integer, Json, Jsonb, Nullable,
                Numeric, SmallInt, Text, Time, Timestamp, Timestamptz, Unsigned, Uuid,
            };

            #[doc = #table_doc]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct table;

            /// Every column of the table, in declaration order.
            pub const all_columns: #all_columns = #all_columns;

            #[diagnostic::do_not_recommend]
            impl ::philtre::__private::Table for table {
                type Itself = Self;
                type PrimaryKey = #pk_type;
                type AllColumns = #all_columns;
                type AllColumnsSqlType = #all_sql_types;
                type Required = #required;
                const DESCRIPTION: &'static ::philtre::__private::TableDescription =
                    &::philtre::__private::TableDescription {
                        name: #table_sql,
                        schema: #table_schema,
                        columns: &[#(#column_descriptions),*],
                        primary_key: &[#(#pk_sql),*],
                        logical_key: #logical_key,
                        foreign_keys: &[#(#foreign_keys),*],
                        unique_constraints: &[#(#unique_constraints),*],
                        checks: &[#(#checks),*],
                        indexes: &[#(#indexes),*],
                        comment: #table_comment,
                        temporary: #temporary,
                        sqlite_on_conflict: ::philtre::__private::SqliteOnConflict {
                            primary_key: #on_conflict_pk,
                            unique: #on_conflict_unique,
                            not_null: #on_conflict_not_null,
                        },
                    };
            }

            impl<DB: ::philtre::__private::Backend> ::philtre::__private::FromClause<DB> for table {
                fn to_from_sql(&self, out: &mut ::philtre::__private::SqlWriter<DB>) {
                    ::philtre::__private::table_from_sql::<Self, DB>(out)
                }
                fn collect_from_binds<'a>(
                    &'a self,
                    _: &mut dyn ::philtre::__private::BindSink<'a, DB>,
                ) -> ::philtre::__private::QueryResult<()> {
                    Ok(())
                }
                fn has_static_from(&self) -> bool {
                    true
                }
            }

            impl ::philtre::__private::NamedSource for table {
                type Id = #source_id;
            }

            #cte_check

            #(#columns)*
            #(#reference_checks)*
            #(#join_paths)*
            #(#foreign_key_columns)*
            #(#composite_keys)*
        }
    })
}

/// The SQL names of `columns` of `table` (the Rust name where the table or column is unknown
/// here: the compiler reports a wrong name where the generated code uses it).
fn sql_names(table: Option<&TableDecl>, columns: &[&Ident]) -> Vec<String> {
    columns
        .iter()
        .map(|col| {
            table
                .and_then(|t| t.columns.iter().find(|c| &c.name == *col))
                .map_or_else(|| col.to_string(), |c| sql_name_of(&c.sql_name, &c.name))
        })
        .collect()
}

/// A `ForeignKeyDescription` for columns `local` of `table` (with their actions) referencing
/// columns `foreign` of `ftable`.
fn foreign_key_description(
    all: &[TableDecl],
    table: &TableDecl,
    (local, actions): (&[&Ident], &Actions),
    ftable: &Ident,
    foreign: &[&Ident],
) -> TokenStream {
    let local_sql = sql_names(Some(table), local);
    let (ftable_sql, foreign_sql) = match all.iter().find(|t| &t.name == ftable) {
        Some(t) => (
            sql_name_of(&t.sql_name, &t.name),
            sql_names(Some(t), foreign),
        ),
        None => (ftable.to_string(), sql_names(None, foreign)),
    };
    let foreign_schema = match all
        .iter()
        .find(|t| &t.name == ftable)
        .and_then(|t| t.options.schema.as_ref())
    {
        Some(schema) => quote!(::std::option::Option::Some(#schema)),
        None => quote!(::std::option::Option::None),
    };
    let none = quote!(::std::option::Option::None);
    let on_delete = actions.on_delete.clone().unwrap_or_else(|| none.clone());
    let on_update = actions.on_update.clone().unwrap_or_else(|| none.clone());
    let deferrable = actions.deferrable.clone().unwrap_or(none);
    quote! {
        ::philtre::__private::ForeignKeyDescription {
            columns: &[#(#local_sql),*],
            foreign_table: #ftable_sql,
            foreign_schema: #foreign_schema,
            foreign_columns: &[#(#foreign_sql),*],
            on_delete: #on_delete,
            on_update: #on_update,
            deferrable: #deferrable,
        }
    }
}
