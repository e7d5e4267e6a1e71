//! `table!`: parses table declarations and generates the zero-sized table and column types.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Type, braced, parenthesized};

/// Tuples wider than this are nested, so no trait needs impls for huge tuples.
pub const TUPLE_CHUNK: usize = 12;

struct Tables(Vec<TableDecl>);

struct TableDecl {
    docs: Vec<Attribute>,
    sql_name: Option<LitStr>,
    name: Ident,
    primary_key: Vec<Ident>,
    columns: Vec<ColumnDecl>,
}

struct ColumnDecl {
    docs: Vec<Attribute>,
    sql_name: Option<LitStr>,
    name: Ident,
    ty: Type,
    references: Option<(Ident, Ident)>,
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
        let (docs, sql_name) = split_attrs(input.call(Attribute::parse_outer)?)?;
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
            name,
            primary_key,
            columns,
        })
    }
}

impl Parse for ColumnDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (docs, sql_name) = split_attrs(input.call(Attribute::parse_outer)?)?;
        let name: Ident = input.call(Ident::parse_any_ident)?;
        input.parse::<Token![->]>()?;
        let ty: Type = input.parse()?;
        let references = if input.peek(Ident) && input.fork().parse::<Ident>()? == "references" {
            input.parse::<Ident>()?;
            let table: Ident = input.parse()?;
            let inner;
            parenthesized!(inner in input);
            let column: Ident = inner.parse()?;
            Some((table, column))
        } else {
            None
        };
        Ok(ColumnDecl {
            docs,
            sql_name,
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
    let pk_sql: Vec<String> = pk
        .iter()
        .map(|k| {
            let c = table.columns.iter().find(|c| &c.name == k);
            c.map_or_else(|| k.to_string(), |c| sql_name_of(&c.sql_name, &c.name))
        })
        .collect();

    let column_descriptions = table.columns.iter().map(|c| {
        let sql = sql_name_of(&c.sql_name, &c.name);
        let rust = c.name.to_string();
        let ty = &c.ty;
        let nullable = is_nullable(ty);
        let primary = table.primary_key.contains(&c.name);
        quote! {
            ::philtre::__private::ColumnDescription {
                name: #sql,
                rust_name: #rust,
                sql_type: <#ty as ::philtre::__private::SqlType>::NAME,
                nullable: #nullable,
                primary_key: #primary,
            }
        }
    });

    let mut reference_checks = Vec::new();
    let foreign_keys: Vec<TokenStream> = table
        .columns
        .iter()
        .filter_map(|c| c.references.as_ref().map(|r| (c, r)))
        .map(|(c, (ftable, fcolumn))| {
            let sql = sql_name_of(&c.sql_name, &c.name);
            let (ftable_sql, fcolumn_sql) = match all.iter().find(|t| &t.name == ftable) {
                Some(t) => (
                    sql_name_of(&t.sql_name, &t.name),
                    t.columns.iter().find(|fc| &fc.name == fcolumn).map_or_else(
                        || fcolumn.to_string(),
                        |fc| sql_name_of(&fc.sql_name, &fc.name),
                    ),
                ),
                None => (ftable.to_string(), fcolumn.to_string()),
            };
            reference_checks.push(quote! {
                const _: fn() = || {
                    let _: super::#ftable::#fcolumn = super::#ftable::#fcolumn;
                };
            });
            quote! {
                ::philtre::__private::ForeignKeyDescription {
                    column: #sql,
                    foreign_table: #ftable_sql,
                    foreign_column: #fcolumn_sql,
                }
            }
        })
        .collect();

    let columns = table.columns.iter().map(|c| {
        let cname = &c.name;
        let ty = &c.ty;
        let sql = sql_name_of(&c.sql_name, &c.name);
        let docs = &c.docs;
        let default_doc = format!("Column `{table_sql}.{sql}` ({}).", quote!(#ty));
        quote! {
            #(#docs)*
            #[doc = #default_doc]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct #cname;
            impl ::philtre::__private::Expression for #cname {
                type SqlType = #ty;
            }
            impl ::philtre::__private::Column for #cname {
                type Table = table;
                const NAME: &'static str = #sql;
            }
            impl<__QS, __I> ::philtre::__private::AppearsIn<__QS, __I> for #cname
            where
                __QS: ::philtre::__private::TableInFrom<table, __I>,
            {
            }
            impl ::philtre::__private::ColumnOf<table> for #cname {}
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
            ::philtre::__impl_arithmetic!([] #cname);
            #[diagnostic::do_not_recommend]
            impl<__ST: ::philtre::__private::SqlType> ::philtre::__private::AsExpression<__ST> for #cname
            where
                #ty: ::philtre::__private::SameSqlType<__ST>,
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

            impl ::philtre::__private::Table for table {
                type PrimaryKey = #pk_type;
                type AllColumns = #all_columns;
                type AllColumnsSqlType = #all_sql_types;
                const DESCRIPTION: &'static ::philtre::__private::TableDescription =
                    &::philtre::__private::TableDescription {
                        name: #table_sql,
                        columns: &[#(#column_descriptions),*],
                        primary_key: &[#(#pk_sql),*],
                        foreign_keys: &[#(#foreign_keys),*],
                    };
            }

            #(#columns)*
            #(#reference_checks)*
        }
    })
}
