//! `#[derive(SqlEnum)]`: a unit-only Rust enum stored as labels.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Fields, LitStr};

/// `SoSo` → `so_so`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The value of `#[philtre(key = "…")]`, if given.
fn philtre_string(attrs: &[Attribute], key: &str) -> syn::Result<Option<LitStr>> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("philtre")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                found = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error(format!("expected `{key} = \"…\"`")))
            }
        })?;
    }
    Ok(found)
}

pub fn sql_enum(input: &DeriveInput) -> syn::Result<TokenStream> {
    let name = &input.ident;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            name.span(),
            "`#[derive(SqlEnum)]` works on enums whose variants have no fields",
        ));
    };
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new(
            name.span(),
            "`#[derive(SqlEnum)]` needs an enum without generic parameters",
        ));
    }
    let sql_name = philtre_string(&input.attrs, "sql_name")?
        .map_or_else(|| snake_case(&name.to_string()), |l| l.value());
    let mut variants = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                variant,
                "a `SqlEnum` variant holds no data: it is stored as its label",
            ));
        }
        let label = philtre_string(&variant.attrs, "label")?
            .map_or_else(|| snake_case(&variant.ident.to_string()), |l| l.value());
        if labels.contains(&label) {
            return Err(syn::Error::new_spanned(
                variant,
                format!("the label {label:?} is given twice"),
            ));
        }
        labels.push(label);
        variants.push(&variant.ident);
    }
    if variants.is_empty() {
        return Err(syn::Error::new(
            name.span(),
            "an enumerated SQL type needs at least one label",
        ));
    }
    Ok(quote! {
        impl ::philtre::types::SqlEnum for #name {
            const DESCRIPTION: &'static ::philtre::schema::EnumDescription =
                &::philtre::schema::EnumDescription {
                    name: #sql_name,
                    labels: &[#(#labels),*],
                };
            fn label(&self) -> &'static str {
                match self {
                    #(#name::#variants => #labels,)*
                }
            }
            fn from_label(label: &str) -> ::std::option::Option<Self> {
                match label {
                    #(#labels => ::std::option::Option::Some(#name::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }
        }
        ::philtre::__impl_sql_enum!(#name);
    })
}
