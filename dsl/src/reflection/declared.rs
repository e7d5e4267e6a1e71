//! A declared schema as a database would report it once `create_all` made it: the declared
//! half of a [`diff`](super::diff).

use crate::error::QueryResult;
use crate::schema::ddl::{self, CommentStyle, StringEscapes};
use crate::schema::{
    AutoIncrement, ColumnDescription, CreationPlan, Deferrable, ReferentialAction, Schema,
    TableDescription,
};

use super::model::{
    ReflectedCheck, ReflectedColumn, ReflectedEnum, ReflectedForeignKey, ReflectedGenerated,
    ReflectedIndex, ReflectedTable, ReflectedUnique, RelationKind,
};
use super::{ReflectDialect, ReflectedSchema};

/// Every table of `schema` as database `DB` would report it after `create_all`, in creation
/// order (referenced tables first), with its enums and sequences.
pub fn declared_schema<DB: ReflectDialect>(schema: &Schema) -> QueryResult<ReflectedSchema> {
    let mut tables = Vec::new();
    let plan = schema.plan();
    for table in &plan.tables {
        tables.push(ReflectedTable::declared_in::<DB>(table, schema, &plan)?);
    }
    let enums = if DB::ENUM_TYPES {
        schema
            .enum_types()
            .into_iter()
            .map(|e| ReflectedEnum {
                schema: None,
                name: e.name.to_owned(),
                labels: e.labels.iter().map(|l| (*l).to_owned()).collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let sequences = if DB::SEQUENCES {
        schema
            .sequences()
            .iter()
            .map(|s| s.name().to_owned())
            .collect()
    } else {
        Vec::new()
    };
    Ok(ReflectedSchema {
        tables,
        enums,
        sequences,
    })
}

impl ReflectedTable {
    /// `table` as database `DB` reports it once `schema`'s `create_all` made it: its types
    /// as `DB` spells them, constraints named by `schema`'s naming convention, and the
    /// statements that create it in [`ReflectedTable::create_sql`].
    pub fn declared<DB: ReflectDialect>(
        table: &TableDescription,
        schema: &Schema,
    ) -> QueryResult<ReflectedTable> {
        ReflectedTable::declared_in::<DB>(table, schema, &schema.plan())
    }

    /// [`ReflectedTable::declared`] with `schema`'s creation plan worked out once for all its
    /// tables.
    fn declared_in<DB: ReflectDialect>(
        table: &TableDescription,
        schema: &Schema,
        plan: &CreationPlan,
    ) -> QueryResult<ReflectedTable> {
        let names = schema.names();
        let escapes = DB::DEFAULT_STRING_ESCAPES;
        // Keys that close a cycle are added once all the tables exist, as `create_all` does
        // (SQLite keeps them inline: it checks references only when rows are written).
        let deferred: Vec<&crate::schema::ForeignKeyDescription> = if DB::ALTER_ADD_FOREIGN_KEY {
            plan.deferred
                .iter()
                .filter(|(t, _)| t.name == table.name && t.schema == table.schema)
                .map(|(_, fk)| *fk)
                .collect()
        } else {
            Vec::new()
        };
        let keeps_comments = DB::COMMENTS != CommentStyle::None;
        let mut columns = Vec::with_capacity(table.columns.len());
        let mut unique_constraints = Vec::new();
        let mut checks = Vec::new();
        for column in table.columns {
            columns.push(declared_column::<DB>(table, column, escapes)?);
            if column.unique {
                unique_constraints.push(ReflectedUnique {
                    name: names.unique_name(table, &[column.name]),
                    columns: vec![column.name.to_owned()],
                });
            }
            if let Some(sql) = column.check {
                checks.push(ReflectedCheck {
                    name: names.column_check_name(table, column.name),
                    sql: sql.to_owned(),
                });
            }
        }
        for unique in table.unique_constraints {
            unique_constraints.push(ReflectedUnique {
                name: names.unique_name(table, unique),
                columns: unique.iter().map(|c| (*c).to_owned()).collect(),
            });
        }
        for check in table.checks {
            checks.push(ReflectedCheck {
                name: names.check_name(table, check)?,
                sql: check.sql.to_owned(),
            });
        }
        let foreign_keys = table
            .foreign_keys
            .iter()
            .map(|fk| ReflectedForeignKey {
                name: Some(names.foreign_key_name(table, fk)),
                columns: owned(fk.columns),
                // Reflection names the referenced schema only when it is another one.
                foreign_schema: fk
                    .foreign_schema
                    .filter(|s| Some(*s) != table.schema)
                    .map(str::to_owned),
                foreign_table: fk.foreign_table.to_owned(),
                foreign_columns: owned(fk.foreign_columns),
                on_delete: action::<DB>(fk.on_delete),
                on_update: action::<DB>(fk.on_update),
                deferrable: fk
                    .deferrable
                    .filter(|_| DB::DEFERRABLE_CONSTRAINTS)
                    .map(|d| d == Deferrable::InitiallyDeferred),
            })
            .collect();
        let indexes = table
            .indexes
            .iter()
            .map(|index| {
                let mut entries = owned(index.columns);
                entries.extend(index.expressions.iter().map(|e| (*e).to_owned()));
                let mut expressions = vec![false; index.columns.len()];
                expressions.extend(index.expressions.iter().map(|_| true));
                ReflectedIndex {
                    name: index.name.to_owned(),
                    columns: entries,
                    expressions,
                    unique: index.unique,
                    where_sql: index.where_sql.map(str::to_owned),
                }
            })
            .collect();
        Ok(ReflectedTable {
            schema: table.schema.map(str::to_owned),
            name: table.name.to_owned(),
            kind: RelationKind::BaseTable,
            columns,
            primary_key: if table.logical_key {
                Vec::new()
            } else {
                owned(table.primary_key)
            },
            primary_key_name: names.primary_key_name(table).filter(|_| !table.logical_key),
            foreign_keys,
            unique_constraints,
            checks,
            indexes,
            comment: table.comment.filter(|_| keeps_comments).map(str::to_owned),
            view_definition: None,
            create_sql: ddl::create_table_sql::<DB>(table, false, &deferred, names, escapes)?,
            deferred_sql: deferred
                .iter()
                .map(|fk| ddl::add_foreign_key_sql::<DB>(table, fk, names))
                .collect::<QueryResult<_>>()?,
        })
    }
}

fn declared_column<DB: ReflectDialect>(
    table: &TableDescription,
    column: &ColumnDescription,
    escapes: StringEscapes,
) -> QueryResult<ReflectedColumn> {
    let sql_type = match column.auto_increment.then(|| DB::auto_increment(column)) {
        Some(auto) => match auto? {
            AutoIncrement::Type(ty) => ty,
            AutoIncrement::Suffix(_) => DB::column_type(column, ddl::in_key(table, column.name))?,
        },
        None => DB::column_type(column, ddl::in_key(table, column.name))?,
    };
    let default = match column.default {
        None => None,
        Some(default) => Some(match default {
            crate::schema::ColumnDefault::Literal(sql) | crate::schema::ColumnDefault::Sql(sql) => {
                sql.to_owned()
            }
            crate::schema::ColumnDefault::Text(text) => DB::string_literal(text, escapes)?,
            crate::schema::ColumnDefault::CurrentTimestamp => {
                DB::current_timestamp(column).to_owned()
            }
        }),
    };
    let mut definition = ddl::column_sql::<DB>(table, column, escapes)?;
    if let (Some(text), CommentStyle::Inline) = (column.comment, DB::COMMENTS) {
        definition.push_str(&format!(" COMMENT {}", DB::comment_literal(text, escapes)?));
    }
    Ok(ReflectedColumn {
        name: column.name.to_owned(),
        // PostgreSQL's enum is a type of its own, which the catalog names and lists.
        column_type: match column.kind {
            crate::schema::TypeKind::Enum(_) if DB::ENUM_TYPES => {
                super::ColumnType::declared(&column.kind, None, None)
            }
            _ => DB::parse_type(&sql_type),
        },
        sql_type,
        nullable: column.nullable || (column.generated.is_some() && !DB::GENERATED_NOT_NULL),
        default,
        auto_increment: DB::reflects_auto_increment(table, column),
        comment: column
            .comment
            .filter(|_| DB::COMMENTS != CommentStyle::None)
            .map(str::to_owned),
        generated: column.generated.map(|g| ReflectedGenerated {
            sql: g.sql.to_owned(),
            stored: g.stored,
        }),
        definition: Some(definition),
    })
}

/// An action as reflection reports it: `NO ACTION` (and, where it means the same, `RESTRICT`)
/// is the absence of one.
fn action<DB: ReflectDialect>(action: Option<ReferentialAction>) -> Option<ReferentialAction> {
    match action {
        Some(ReferentialAction::NoAction) => None,
        Some(ReferentialAction::Restrict) if DB::RESTRICT_IS_NO_ACTION => None,
        other => other,
    }
}

fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}
