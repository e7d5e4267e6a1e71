//! `#[philtre(...)]` attributes on derived structs and their fields.

use syn::{Attribute, Ident, Path, Result};

/// Struct-level options.
#[derive(Default)]
pub struct StructAttrs {
    pub table: Option<Path>,
    pub primary_key: Vec<Ident>,
}

/// Field-level options.
#[derive(Default)]
pub struct FieldAttrs {
    pub column: Option<Ident>,
    pub skip: bool,
}

pub fn struct_attrs(attrs: &[Attribute]) -> Result<StructAttrs> {
    let mut out = StructAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("philtre")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                out.table = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("primary_key") {
                meta.parse_nested_meta(|key| {
                    let ident = key
                        .path
                        .get_ident()
                        .cloned()
                        .ok_or_else(|| key.error("expected a field name"))?;
                    out.primary_key.push(ident);
                    Ok(())
                })
            } else {
                Err(meta
                    .error("unknown philtre option; expected `table = ...` or `primary_key(...)`"))
            }
        })?;
    }
    Ok(out)
}

pub fn field_attrs(attrs: &[Attribute]) -> Result<FieldAttrs> {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("philtre")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("column") {
                out.column = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("skip") {
                out.skip = true;
                Ok(())
            } else {
                Err(meta.error("unknown philtre field option; expected `column = name` or `skip`"))
            }
        })?;
    }
    Ok(out)
}
