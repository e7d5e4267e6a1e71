//! [`Schema`]: a set of tables created and dropped together, in foreign-key order.

use crate::connection::{AsyncConnection, Connection, transaction_async};
use crate::error::QueryResult;

use super::Table;
use super::ddl::{self, SchemaDialect, StringEscapes};
use super::description::{EnumDescription, ForeignKeyDescription, TableDescription, TypeKind};
use super::naming::NamingConvention;
use super::sequence::Sequence;
use super::translate::SchemaTranslateMap;

/// A set of tables, as SQLAlchemy's `MetaData`: `create_all` creates them in dependency order
/// (a referenced table before the tables referencing it), `drop_all` drops them in reverse.
/// Foreign keys that form a cycle are added after the tables (`ALTER TABLE`), or kept inline on
/// SQLite, which checks references only when rows are written.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    tables: Vec<&'static TableDescription>,
    sequences: Vec<&'static Sequence>,
    names: NamingConvention,
    schemas: Option<SchemaTranslateMap>,
}

/// Tables in creation order, and the foreign keys to add once all of them exist.
#[derive(Debug, Clone)]
pub struct CreationPlan {
    /// Tables, referenced tables first.
    pub tables: Vec<&'static TableDescription>,
    /// Foreign keys that close a cycle: `(table, key)`.
    pub deferred: Vec<(&'static TableDescription, &'static ForeignKeyDescription)>,
}

impl Schema {
    /// An empty schema.
    pub fn new() -> Self {
        Schema::default()
    }

    /// Adds a table declared with `table!`.
    pub fn table<T: Table>(mut self, table: T) -> Self {
        self.tables.push(table.description());
        self
    }

    /// Adds a table by its description.
    pub fn add(&mut self, table: &'static TableDescription) -> &mut Self {
        self.tables.push(table);
        self
    }

    /// Adds a sequence: created before the tables, dropped after them.
    pub fn sequence(mut self, sequence: &'static Sequence) -> Self {
        self.sequences.push(sequence);
        self
    }

    /// Names constraints by `convention` (SQLAlchemy's `MetaData(naming_convention=…)`); see
    /// [`NamingConvention`].
    pub fn naming_convention(mut self, convention: NamingConvention) -> Self {
        self.names = convention;
        self
    }

    /// Creates and drops the tables in the schemas `map` gives (the DDL side of a connection's
    /// `set_schema_translate_map`): one declared schema, many tenants' copies of it.
    pub fn schema_translate_map(mut self, map: SchemaTranslateMap) -> Self {
        self.schemas = Some(map);
        self
    }

    /// The naming convention in use.
    pub fn names(&self) -> &NamingConvention {
        &self.names
    }

    /// The sequences, in the order they were added.
    pub fn sequences(&self) -> &[&'static Sequence] {
        &self.sequences
    }

    /// The enumerated types the tables' columns use, each once (by name), in the order met.
    pub fn enum_types(&self) -> Vec<&'static EnumDescription> {
        let mut found: Vec<&'static EnumDescription> = Vec::new();
        for table in &self.tables {
            for column in table.columns {
                let kind = match column.kind {
                    TypeKind::Array(element) => *element,
                    kind => kind,
                };
                if let TypeKind::Enum(description) = kind
                    && !found.iter().any(|f| f.name == description.name)
                {
                    found.push(description);
                }
            }
        }
        found
    }

    /// The tables, in the order they were added: the runtime inspection of the schema.
    pub fn tables(&self) -> &[&'static TableDescription] {
        &self.tables
    }

    /// The table with SQL name `name`.
    pub fn get(&self, name: &str) -> Option<&'static TableDescription> {
        self.tables.iter().copied().find(|t| t.name == name)
    }

    /// Orders the tables so that each comes after the tables it references (as the schema
    /// translate map places them, if one is set).
    pub fn plan(&self) -> CreationPlan {
        let tables: Vec<&'static TableDescription> = match &self.schemas {
            Some(map) => self.tables.iter().map(|t| map.translate_table(t)).collect(),
            None => self.tables.clone(),
        };
        let mut created: Vec<&'static TableDescription> = Vec::new();
        let mut deferred = Vec::new();
        let mut pending: Vec<&'static TableDescription> = tables.clone();
        while !pending.is_empty() {
            let ready = pending.iter().position(|t| {
                t.foreign_keys.iter().all(|fk| {
                    fk.foreign_table == t.name
                        || created.iter().any(|c| c.name == fk.foreign_table)
                        || !tables.iter().any(|s| s.name == fk.foreign_table)
                })
            });
            // In a cycle no table is ready: take the first and defer the keys that wait.
            let index = ready.unwrap_or(0);
            let table = pending.remove(index);
            if ready.is_none() {
                for fk in table.foreign_keys {
                    let waits = fk.foreign_table != table.name
                        && !created.iter().any(|c| c.name == fk.foreign_table)
                        && tables.iter().any(|s| s.name == fk.foreign_table);
                    if waits {
                        deferred.push((table, fk));
                    }
                }
            }
            created.push(table);
        }
        CreationPlan {
            tables: created,
            deferred,
        }
    }

    /// The statements `create_all` runs on backend `DB`.
    pub fn create_sql<DB: SchemaDialect>(&self, if_not_exists: bool) -> QueryResult<Vec<String>> {
        let (mut statements, alters) =
            self.create_parts::<DB>(if_not_exists, DB::DEFAULT_STRING_ESCAPES)?;
        statements.extend(alters);
        Ok(statements)
    }

    /// The CREATE statements, and apart from them the foreign keys added afterwards.
    fn create_parts<DB: SchemaDialect>(
        &self,
        if_not_exists: bool,
        escapes: StringEscapes,
    ) -> QueryResult<(Vec<String>, Vec<String>)> {
        let plan = self.plan();
        let inline_all = !DB::ALTER_ADD_FOREIGN_KEY;
        let mut statements = Vec::new();
        for sequence in &self.sequences {
            statements.push(sequence.create_sql::<DB>(if_not_exists)?);
        }
        if DB::ENUM_TYPES {
            for description in self.enum_types() {
                statements.push(ddl::create_enum_type_sql::<DB>(description, if_not_exists)?);
            }
        }
        for table in &plan.tables {
            let deferred: Vec<&ForeignKeyDescription> = if inline_all {
                Vec::new()
            } else {
                plan.deferred
                    .iter()
                    .filter(|(t, _)| std::ptr::eq(*t, *table))
                    .map(|(_, fk)| *fk)
                    .collect()
            };
            statements.extend(ddl::create_table_sql::<DB>(
                table,
                if_not_exists,
                &deferred,
                &self.names,
                escapes,
            )?);
        }
        let mut alters = Vec::new();
        if !inline_all {
            for (table, fk) in &plan.deferred {
                alters.push(ddl::add_foreign_key_sql::<DB>(table, fk, &self.names)?);
            }
        }
        Ok((statements, alters))
    }

    /// The statements `drop_all` runs on backend `DB`.
    pub fn drop_sql<DB: SchemaDialect>(&self, if_exists: bool) -> QueryResult<Vec<String>> {
        let plan = self.plan();
        let mut statements = Vec::new();
        if DB::ALTER_ADD_FOREIGN_KEY && !if_exists {
            for (table, fk) in &plan.deferred {
                statements.push(ddl::drop_foreign_key_sql::<DB>(table, fk, &self.names));
            }
        }
        for table in plan.tables.iter().rev() {
            statements.push(ddl::drop_table_sql::<DB>(table, if_exists));
        }
        for sequence in self.sequences.iter().rev() {
            statements.push(sequence.drop_sql::<DB>(if_exists)?);
        }
        if DB::ENUM_TYPES {
            for description in self.enum_types() {
                statements.push(ddl::drop_enum_type_sql::<DB>(description, if_exists));
            }
        }
        Ok(statements)
    }

    /// Creates every table, index and comment. Fails if a table exists.
    pub fn create_all<C: Connection>(&self, conn: &mut C) -> QueryResult<()>
    where
        C::Backend: SchemaDialect,
    {
        let (mut statements, alters) =
            self.create_parts::<C::Backend>(false, conn.string_escapes())?;
        statements.extend(alters);
        run_all(conn, statements)
    }

    /// Creates what does not exist yet (`IF NOT EXISTS`).
    pub fn create_all_if_not_exists<C: Connection>(&self, conn: &mut C) -> QueryResult<()>
    where
        C::Backend: SchemaDialect,
    {
        let (statements, alters) = self.create_parts::<C::Backend>(true, conn.string_escapes())?;
        conn.transaction(|conn| {
            for sql in &statements {
                conn.batch_execute(sql)?;
            }
            // A foreign key added after its tables may already be there, and no database has
            // `ADD CONSTRAINT IF NOT EXISTS`: each runs in a savepoint, and a failure means it
            // exists (every other mistake in it would have failed `create_all` already).
            for sql in &alters {
                let _ = conn.transaction(|conn| conn.batch_execute(sql));
            }
            Ok(())
        })
    }

    /// [`Schema::create_all`] on an async connection: every table, index and comment, in one
    /// transaction where the database has transactional DDL.
    pub async fn create_all_async<C: AsyncConnection>(&self, conn: &mut C) -> QueryResult<()>
    where
        C::Backend: SchemaDialect,
    {
        run_all_async(conn, self.create_sql::<C::Backend>(false)?).await
    }

    /// [`Schema::drop_all`] on an async connection.
    pub async fn drop_all_async<C: AsyncConnection>(&self, conn: &mut C) -> QueryResult<()>
    where
        C::Backend: SchemaDialect,
    {
        run_all_async(conn, self.drop_sql::<C::Backend>(false)?).await
    }

    /// Drops every table, dependents first. Fails if a table is missing.
    pub fn drop_all<C: Connection>(&self, conn: &mut C) -> QueryResult<()>
    where
        C::Backend: SchemaDialect,
    {
        run_all(conn, self.drop_sql::<C::Backend>(false)?)
    }

    /// Drops the tables that exist (`IF EXISTS`).
    pub fn drop_all_if_exists<C: Connection>(&self, conn: &mut C) -> QueryResult<()>
    where
        C::Backend: SchemaDialect,
    {
        run_all(conn, self.drop_sql::<C::Backend>(true)?)
    }
}

/// [`run_all`] on an async connection.
async fn run_all_async<C: AsyncConnection>(
    conn: &mut C,
    statements: Vec<String>,
) -> QueryResult<()> {
    transaction_async(conn, async |conn| {
        for sql in &statements {
            conn.batch_execute(sql).await?;
        }
        Ok(())
    })
    .await
}

/// Runs DDL statements in one transaction, so a failure leaves nothing half-made where the
/// database has transactional DDL (SQLite, PostgreSQL; MySQL commits each statement).
fn run_all<C: Connection>(conn: &mut C, statements: Vec<String>) -> QueryResult<()> {
    conn.transaction(|conn| {
        for sql in &statements {
            conn.batch_execute(sql)?;
        }
        Ok(())
    })
}

/// `CREATE TABLE` for one table (with its indexes and comments).
pub fn create_table<C: Connection, T: Table>(conn: &mut C, table: T) -> QueryResult<()>
where
    C::Backend: SchemaDialect,
{
    run_all(
        conn,
        ddl::create_table_sql::<C::Backend>(
            table.description(),
            false,
            &[],
            &NamingConvention::default(),
            conn.string_escapes(),
        )?,
    )
}

/// `DROP TABLE` for one table.
pub fn drop_table<C: Connection, T: Table>(conn: &mut C, table: T) -> QueryResult<()>
where
    C::Backend: SchemaDialect,
{
    run_all(
        conn,
        vec![ddl::drop_table_sql::<C::Backend>(
            table.description(),
            false,
        )],
    )
}

/// `CREATE INDEX` for one of the table's declared indexes, by name.
pub fn create_index<C: Connection, T: Table>(conn: &mut C, table: T, name: &str) -> QueryResult<()>
where
    C::Backend: SchemaDialect,
{
    let description = table.description();
    let index = declared_index(description, name)?;
    run_all(
        conn,
        vec![ddl::create_index_sql::<C::Backend>(
            description,
            index,
            false,
        )?],
    )
}

/// `DROP INDEX` for one of the table's declared indexes, by name.
pub fn drop_index<C: Connection, T: Table>(conn: &mut C, table: T, name: &str) -> QueryResult<()>
where
    C::Backend: SchemaDialect,
{
    let description = table.description();
    let index = declared_index(description, name)?;
    run_all(
        conn,
        vec![ddl::drop_index_sql::<C::Backend>(description, index, false)],
    )
}

fn declared_index(
    description: &'static TableDescription,
    name: &str,
) -> QueryResult<&'static super::IndexDescription> {
    description
        .indexes
        .iter()
        .find(|i| i.name == name)
        .ok_or_else(|| {
            crate::Error::new(
                crate::ErrorKind::InvalidQuery,
                format!("table `{}` declares no index `{name}`", description.name),
            )
        })
}
