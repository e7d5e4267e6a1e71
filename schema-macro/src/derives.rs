//! The derives. Each checks every field against its column at the field's own span.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericParam, Ident, Lifetime, LifetimeParam, Path, Type};

use crate::attrs::{field_attrs, struct_attrs};
use crate::table::chunked;

pub fn run(input: TokenStream, f: fn(&DeriveInput) -> syn::Result<TokenStream2>) -> TokenStream {
    match syn::parse::<DeriveInput>(input) {
        Ok(input) => f(&input).unwrap_or_else(|e| e.to_compile_error()).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

struct Field {
    ident: Ident,
    ty: Type,
    column: Ident,
    skip: bool,
}

fn named_fields(input: &DeriveInput) -> syn::Result<Vec<Field>> {
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "philtre derives work on structs only",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new(
            input.ident.span(),
            "philtre derives need a struct with named fields, each named after its column",
        ));
    };
    fields
        .named
        .iter()
        .map(|f| {
            let attrs = field_attrs(&f.attrs)?;
            let ident = f
                .ident
                .clone()
                .ok_or_else(|| syn::Error::new(f.span(), "unnamed field"))?;
            Ok(Field {
                column: attrs.column.unwrap_or_else(|| ident.clone()),
                ident,
                ty: f.ty.clone(),
                skip: attrs.skip,
            })
        })
        .collect()
}

fn table_path(input: &DeriveInput, derive: &str) -> syn::Result<Path> {
    struct_attrs(&input.attrs)?.table.ok_or_else(|| {
        syn::Error::new(
            input.ident.span(),
            format!("`#[derive({derive})]` needs the table: add `#[philtre(table = users)]` to the struct"),
        )
    })
}

/// `users::id` for a field `id` of a struct on table path `users`.
fn column_path(table: &Path, column: &Ident) -> TokenStream2 {
    quote!(#table::#column)
}

fn sql_type_of(table: &Path, column: &Ident) -> TokenStream2 {
    let col = column_path(table, column);
    quote!(<#col as ::philtre::__private::Expression>::SqlType)
}

/// `Option<T>` → `Some(T)`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

pub fn queryable(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let fields = named_fields(input)?;
    let name = &input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let mut generics = input.generics.clone();
    generics
        .params
        .push(syn::parse_quote!(__DB: ::philtre::__private::Backend));
    let st_params: Vec<Ident> = (0..fields.len())
        .map(|i| format_ident!("__ST{}", i))
        .collect();
    for st in &st_params {
        generics.params.push(syn::parse_quote!(#st));
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let mut where_clause = where_clause
        .cloned()
        .unwrap_or_else(|| syn::parse_quote!(where));
    for (f, st) in fields.iter().zip(&st_params) {
        let ty = &f.ty;
        where_clause.predicates.push(
            syn::parse_quote_spanned!(ty.span()=> #ty: ::philtre::__private::FromSqlRow<#st, __DB>),
        );
    }
    let row = chunked(st_params.iter().map(|s| quote!(#s)).collect());
    let reads = fields.iter().zip(&st_params).map(|(f, st)| {
        let ident = &f.ident;
        let ty = &f.ty;
        quote!(#ident: <#ty as ::philtre::__private::FromSqlRow<#st, __DB>>::from_row(row, index)?)
    });
    Ok(quote! {
        impl #impl_generics ::philtre::__private::FromSqlRow<#row, __DB> for #name #ty_generics #where_clause {
            #[inline]
            fn from_row(
                row: &<__DB as ::philtre::__private::Backend>::Row<'_>,
                index: &mut usize,
            ) -> ::philtre::__private::QueryResult<Self> {
                Ok(#name { #(#reads),* })
            }
        }
    })
}

pub fn selectable(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let table = table_path(input, "Selectable")?;
    let fields = named_fields(input)?;
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let columns = fields.iter().enumerate().map(|(i, f)| {
        let col = column_path(&table, &f.column);
        let sep = (i > 0).then(|| quote!(out.push_sql(", ");));
        quote! {
            #sep
            out.push_column(source, <#col as ::philtre::__private::Column>::NAME);
        }
    });
    let checks = fields.iter().map(|f| {
        let ty = &f.ty;
        let st = sql_type_of(&table, &f.column);
        quote_spanned!(ty.span()=> ::philtre::__private::assert_holds::<#ty, #st>();)
    });
    let mut row_generics = input.generics.clone();
    row_generics
        .params
        .push(syn::parse_quote!(__DB: ::philtre::__private::Backend));
    let (row_impl_generics, _, row_where) = row_generics.split_for_impl();
    let mut row_where = row_where
        .cloned()
        .unwrap_or_else(|| syn::parse_quote!(where));
    for f in &fields {
        let ty = &f.ty;
        let st = sql_type_of(&table, &f.column);
        row_where
            .predicates
            .push(syn::parse_quote!(__DB: ::philtre::__private::ReadsValue<#st, #ty>));
    }
    let reads = fields.iter().map(|f| {
        let ident = &f.ident;
        let ty = &f.ty;
        let st = sql_type_of(&table, &f.column);
        quote! {
            #ident: {
                let i = *index;
                *index += 1;
                <__DB as ::philtre::__private::ReadsValue<#st, #ty>>::read_value(row, i)?
            }
        }
    });
    let column_count = fields.len();
    let not_null_column = fields.iter().enumerate().rev().fold(
        quote!(::std::option::Option::None),
        |rest, (i, f)| {
            let st = sql_type_of(&table, &f.column);
            quote! {
                if <<#st as ::philtre::__private::SqlType>::Nullability as ::philtre::__private::Nullability>::IS_NULLABLE {
                    #rest
                } else {
                    ::std::option::Option::Some(#i)
                }
            }
        },
    );
    // Field access by position, for the ORM to take a key from a loaded row instead of
    // selecting its column twice. Only for structs without generic or lifetime parameters,
    // whose fields are `'static` (`Any`).
    let field_access = input.generics.params.is_empty().then(|| {
        let names = fields.iter().map(|f| {
            let col = column_path(&table, &f.column);
            quote!(<#col as ::philtre::__private::Column>::NAME)
        });
        let anys = fields.iter().enumerate().map(|(i, f)| {
            let ident = &f.ident;
            quote!(#i => ::std::option::Option::Some(&self.#ident))
        });
        // Each arm turns a field of known type into `&dyn Any` and back at once, so the type
        // check folds to a constant: no call through the vtable per row.
        let refs = fields.iter().enumerate().map(|(i, f)| {
            let ident = &f.ident;
            quote!(#i => (&self.#ident as &dyn ::std::any::Any).downcast_ref::<__K>())
        });
        let types = fields.iter().enumerate().map(|(i, f)| {
            let ty = &f.ty;
            quote!(#i => ::std::option::Option::Some(::std::any::TypeId::of::<#ty>()))
        });
        quote! {
            const COLUMN_NAMES: &'static [&'static str] = &[#(#names),*];
            fn field_any(&self, index: usize) -> ::std::option::Option<&dyn ::std::any::Any> {
                match index {
                    #(#anys,)*
                    _ => ::std::option::Option::None,
                }
            }
            fn field_ref<__K: 'static>(&self, index: usize) -> ::std::option::Option<&__K> {
                match index {
                    #(#refs,)*
                    _ => ::std::option::Option::None,
                }
            }
            fn field_type(index: usize) -> ::std::option::Option<::std::any::TypeId> {
                match index {
                    #(#types,)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    });
    Ok(quote! {
        const _: () = {
            #(#checks)*
        };
        impl #impl_generics ::philtre::__private::Selectable for #name #ty_generics #where_clause {
            type Table = #table::table;
            const COLUMNS: usize = #column_count;
            const NOT_NULL_COLUMN: ::std::option::Option<usize> = #not_null_column;
            #field_access
            fn write_columns_from<__DB: ::philtre::__private::Backend>(
                source: &str,
                out: &mut ::philtre::__private::SqlWriter<__DB>,
            ) {
                #(#columns)*
            }
        }
        impl #row_impl_generics ::philtre::__private::FromSqlRow<
            ::philtre::__private::SelectableRow<#name #ty_generics>,
            __DB,
        > for #name #ty_generics #row_where {
            #[inline]
            fn from_row(
                row: &<__DB as ::philtre::__private::Backend>::Row<'_>,
                index: &mut usize,
            ) -> ::philtre::__private::QueryResult<Self> {
                Ok(#name { #(#reads),* })
            }
        }
    })
}

/// Shared by `Insertable` and `AsChangeset`: the assignments a struct stands for, taken by
/// value and by reference.
fn assignments(
    input: &DeriveInput,
    derive: &str,
    trait_name: &str,
    method: &str,
) -> syn::Result<TokenStream2> {
    let table = table_path(input, derive)?;
    let fields: Vec<Field> = named_fields(input)?
        .into_iter()
        .filter(|f| !f.skip)
        .collect();
    if fields.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            format!("`#[derive({derive})]` needs at least one field"),
        ));
    }
    let name = &input.ident;
    let trait_ident = Ident::new(trait_name, Span::call_site());
    let assoc = Ident::new(
        if trait_name == "Insertable" {
            "Values"
        } else {
            "Changes"
        },
        Span::call_site(),
    );
    let method = Ident::new(method, Span::call_site());
    let (_, ty_generics, where_clause) = input.generics.split_for_impl();

    // By reference: fields are borrowed, so the struct can be reused after the statement.
    let lifetime = Lifetime::new("'__philtre", Span::call_site());
    let mut ref_generics = input.generics.clone();
    ref_generics.params.insert(
        0,
        GenericParam::Lifetime(LifetimeParam::new(lifetime.clone())),
    );
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();

    // Values are bound as the column's SQL type without NULL: a `None` field is left out, not
    // sent as NULL. Whether the field's type fits the column is checked once, at the field, by
    // `assert_writable` below, so a mismatch gives one error pointing at the field.
    let build = |by_ref: bool| -> (Vec<TokenStream2>, Vec<TokenStream2>) {
        let mut types = Vec::new();
        let mut values = Vec::new();
        for f in &fields {
            let ident = &f.ident;
            let col = column_path(&table, &f.column);
            let st = sql_type_of(&table, &f.column);
            let not_null = quote!(<#st as ::philtre::__private::SqlType>::NotNull);
            let (value_ty, optional) = match option_inner(&f.ty) {
                Some(inner) => (inner, true),
                None => (&f.ty, false),
            };
            let value_ty = if by_ref {
                quote!(&#lifetime #value_ty)
            } else {
                quote!(#value_ty)
            };
            let assignment = quote! {
                ::philtre::__private::Assignment<#col, ::philtre::__private::Bound<#not_null, #value_ty>>
            };
            let make = quote!(|v| ::philtre::__private::Binary::new(#col, ::philtre::__private::Bound::new(v)));
            match (optional, by_ref) {
                (true, true) => {
                    types.push(quote!(::std::option::Option<#assignment>));
                    values.push(quote!(self.#ident.as_ref().map(#make)));
                }
                (true, false) => {
                    types.push(quote!(::std::option::Option<#assignment>));
                    values.push(quote!(self.#ident.map(#make)));
                }
                (false, true) => {
                    types.push(assignment);
                    values.push(quote!((#make)(&self.#ident)));
                }
                (false, false) => {
                    types.push(assignment);
                    values.push(quote!((#make)(self.#ident)));
                }
            }
        }
        (types, values)
    };
    let checks = fields.iter().map(|f| {
        let st = sql_type_of(&table, &f.column);
        let ty = option_inner(&f.ty).unwrap_or(&f.ty);
        quote_spanned!(ty.span()=> ::philtre::__private::assert_writable::<#ty, #st>();)
    });
    let (check_generics, _, check_where) = input.generics.split_for_impl();
    let check = quote! {
        const _: () = {
            #[allow(dead_code)]
            fn check_field_types #check_generics () #check_where {
                #(#checks)*
            }
        };
    };
    let (ref_types, ref_values) = build(true);
    let (val_types, val_values) = build(false);
    let ref_type = chunked(ref_types);
    let val_type = chunked(val_types);
    let ref_value = chunked(ref_values);
    let val_value = chunked(val_values);
    let (impl_generics, _, _) = input.generics.split_for_impl();
    Ok(quote! {
        #check
        impl #ref_impl_generics ::philtre::__private::#trait_ident<#table::table>
            for &#lifetime #name #ty_generics #where_clause
        {
            type #assoc = #ref_type;
            fn #method(self) -> Self::#assoc {
                #ref_value
            }
        }
        impl #impl_generics ::philtre::__private::#trait_ident<#table::table>
            for #name #ty_generics #where_clause
        {
            type #assoc = #val_type;
            fn #method(self) -> Self::#assoc {
                #val_value
            }
        }
    })
}

pub fn insertable(input: &DeriveInput) -> syn::Result<TokenStream2> {
    assignments(input, "Insertable", "Insertable", "values")
}

pub fn into_changeset(input: &DeriveInput) -> syn::Result<TokenStream2> {
    assignments(input, "AsChangeset", "AsChangeset", "into_changeset")
}

pub fn identifiable(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let table = table_path(input, "Identifiable")?;
    let attrs = struct_attrs(&input.attrs)?;
    let fields = named_fields(input)?;
    let keys = if attrs.primary_key.is_empty() {
        vec![Ident::new("id", Span::call_site())]
    } else {
        attrs.primary_key
    };
    let mut key_types = Vec::new();
    for key in &keys {
        let field = fields.iter().find(|f| &f.ident == key).ok_or_else(|| {
            syn::Error::new(
                key.span(),
                format!("`#[derive(Identifiable)]`: no field `{key}`; name the key with `#[philtre(primary_key(field))]`"),
            )
        })?;
        key_types.push(field.ty.clone());
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let (id_type, id_value) = if keys.len() == 1 {
        let (k, t) = (&keys[0], &key_types[0]);
        (quote!(&'__a #t), quote!(&self.#k))
    } else {
        (quote!((#(&'__a #key_types,)*)), quote!((#(&self.#keys,)*)))
    };
    Ok(quote! {
        impl #impl_generics ::philtre::Identifiable for #name #ty_generics #where_clause {
            type Table = #table::table;
            type Id<'__a> = #id_type where Self: '__a;
            fn id(&self) -> Self::Id<'_> {
                #id_value
            }
        }
    })
}

/// `#[derive(Entity)]`: [`selectable`] plus what the ORM's session needs — the key, a diff of
/// fields, binding and setting a field by position.
pub fn entity(input: &DeriveInput) -> syn::Result<TokenStream2> {
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(Entity)]` needs a struct without generic or lifetime parameters: the session stores its values",
        ));
    }
    let table = table_path(input, "Entity")?;
    let attrs = struct_attrs(&input.attrs)?;
    let fields = named_fields(input)?;
    if let Some(f) = fields.iter().find(|f| f.skip) {
        return Err(syn::Error::new(
            f.ident.span(),
            "`#[derive(Entity)]` maps every field to a column: `skip` is not allowed here",
        ));
    }
    if fields.len() > 64 {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(Entity)]` supports at most 64 fields",
        ));
    }
    let keys = if attrs.primary_key.is_empty() {
        vec![Ident::new("id", Span::call_site())]
    } else {
        attrs.primary_key
    };
    let mut key_positions = Vec::new();
    for key in &keys {
        let position = fields.iter().position(|f| &f.ident == key).ok_or_else(|| {
            syn::Error::new(
                key.span(),
                format!("`#[derive(Entity)]`: no field `{key}` for the primary key; name the key fields with `#[philtre(primary_key(a, b))]`"),
            )
        })?;
        key_positions.push(position);
    }
    let selectable = selectable(input)?;
    let name = &input.ident;
    let key_types: Vec<&Type> = key_positions.iter().map(|&i| &fields[i].ty).collect();
    let key_idents: Vec<&Ident> = key_positions.iter().map(|&i| &fields[i].ident).collect();
    let (key_type, key_value) = if keys.len() == 1 {
        let (t, k) = (key_types[0], key_idents[0]);
        (quote!(#t), quote!(::std::clone::Clone::clone(&self.#k)))
    } else {
        (
            quote!((#(#key_types,)*)),
            quote!((#(::std::clone::Clone::clone(&self.#key_idents),)*)),
        )
    };
    let key_columns = key_positions.iter().map(|&i| {
        let col = column_path(&table, &fields[i].column);
        quote!(<#col as ::philtre::__private::Column>::NAME)
    });
    let key_message = format!(
        "an entity's key must be its table's primary key: the key fields of `{name}` ({}) are not; name the key fields in the primary key's order with `#[philtre(primary_key(..))]`",
        keys.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let diffs = fields.iter().enumerate().map(|(i, f)| {
        let ident = &f.ident;
        quote!(if self.#ident != original.#ident { mask |= 1u64 << #i; })
    });
    let sets = fields.iter().enumerate().map(|(i, f)| {
        let ident = &f.ident;
        match option_inner(&f.ty) {
            Some(inner) => {
                quote!(#i => ::philtre::__private::set_optional::<#inner>(&mut self.#ident, value))
            }
            None => {
                let ty = &f.ty;
                quote!(#i => ::philtre::__private::set_plain::<#ty>(&mut self.#ident, value))
            }
        }
    });
    let mut bounds = Vec::new();
    let binds = fields.iter().enumerate().map(|(i, f)| {
        let ident = &f.ident;
        let ty = &f.ty;
        let st = sql_type_of(&table, &f.column);
        bounds.push(quote!(#ty: ::philtre::__private::ToSql<#st, __DB> + ::philtre::__private::FromSql<#st, __DB>));
        quote!(#i => out.push_value(<#ty as ::philtre::__private::ToSql<#st, __DB>>::to_sql(&self.#ident)?))
    }).collect::<Vec<_>>();
    let integer_reads = fields.iter().enumerate().map(|(i, f)| {
        let ty = &f.ty;
        let st = sql_type_of(&table, &f.column);
        quote!(#i => {
            let value = ::philtre::__private::read_column::<#ty, #st, __DB>(row, column)?;
            ::std::result::Result::Ok(::philtre::__private::integer_of(&value))
        })
    });
    let count = fields.len();
    let key_binds = key_positions.iter().enumerate().map(|(n, &i)| {
        let ty = &fields[i].ty;
        let st = sql_type_of(&table, &fields[i].column);
        let value = if keys.len() == 1 {
            quote!(key)
        } else {
            let n = syn::Index::from(n);
            quote!(&key.#n)
        };
        quote!(out.push_value(<#ty as ::philtre::__private::ToSql<#st, __DB>>::to_sql(#value)?)?;)
    });
    Ok(quote! {
        #selectable
        const _: () = ::std::assert!(
            ::philtre::__private::same_names(
                <#table::table as ::philtre::__private::Table>::DESCRIPTION.primary_key,
                &[#(#key_columns),*],
            ),
            #key_message
        );
        impl ::philtre::orm::Entity for #name {
            type PrimaryKey = #key_type;
            const KEY_FIELDS: &'static [usize] = &[#(#key_positions),*];
            #[inline]
            fn primary_key(&self) -> Self::PrimaryKey {
                #key_value
            }
            #[inline]
            fn changed_fields(&self, original: &Self) -> u64 {
                let mut mask = 0u64;
                #(#diffs)*
                mask
            }
            fn set_field(&mut self, index: usize, value: &dyn ::std::any::Any) -> bool {
                match index {
                    #(#sets,)*
                    _ => false,
                }
            }
        }
        impl<__DB: ::philtre::__private::Backend> ::philtre::orm::EntityRow<__DB> for #name
        where
            #(#bounds,)*
            Self: ::philtre::__private::FromSqlRow<::philtre::__private::SelectableRow<Self>, __DB>,
        {
            #[inline]
            fn bind_field<'__a>(
                &'__a self,
                index: usize,
                out: &mut dyn ::philtre::__private::BindSink<'__a, __DB>,
            ) -> ::philtre::__private::QueryResult<()> {
                match index {
                    #(#binds,)*
                    _ => ::std::result::Result::Err(::philtre::__private::no_such_field(index, #count)),
                }
            }
            fn bind_key<'__a>(
                key: &'__a Self::PrimaryKey,
                out: &mut dyn ::philtre::__private::BindSink<'__a, __DB>,
            ) -> ::philtre::__private::QueryResult<()> {
                #(#key_binds)*
                ::std::result::Result::Ok(())
            }
            fn read_integer_field(
                index: usize,
                row: &<__DB as ::philtre::__private::Backend>::Row<'_>,
                column: usize,
            ) -> ::philtre::__private::QueryResult<::std::option::Option<i64>> {
                match index {
                    #(#integer_reads,)*
                    _ => ::std::result::Result::Err(::philtre::__private::no_such_field(index, #count)),
                }
            }
        }
    })
}
