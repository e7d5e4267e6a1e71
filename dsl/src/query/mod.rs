//! Statements: SELECT, INSERT, UPDATE, DELETE, and running them.

mod alias;
mod boxed;
mod changeset;
pub(crate) mod clauses;
mod compound;
mod cte;
mod cte_use;
mod delete;
mod find;
mod group_lookup;
mod hint;
mod insert;
mod insert_select;
mod join;
mod lateral;
mod leading;
mod merge;
mod no_from;
mod order_checks;
mod prefix;
mod quantified;
mod render;
mod required_columns;
mod rollup;
mod row_limiting;
mod rows_taken;
mod run;
mod run_async;
mod scope;
mod select;
mod selection;
mod source;
mod subquery;
mod table_dsl;
mod target;
mod text;
mod update;
mod upsert;

pub use alias::{Alias, AliasName, AliasedColumn, AliasedSelect};
pub use boxed::{BoxedCondition, BoxedSelect, ClauseBody, Part};
pub use changeset::{Assignment, AssignmentsIn, Changeset, ColumnAssignments, FitsColumn};
pub use clauses::{
    ActiveModifier, Distinct, DistinctOn, EveryTable, ForShare, ForUpdate, Having, HavingClause,
    Limit, LimitValue, LockModifier, LockableIn, LockedTables, NoDistinct, NoHaving, NoLimit,
    NoLock, NoModifier, NoOrder, NoWait, NoWhere, OfTable, OrderBy, OrderClause, RowLock,
    SkipLocked, Where, WhereClause, WhereCondition,
};
pub use compound::{
    CombineDsl, CompoundMember, CompoundOrder, CompoundSelect, Except, Intersect, MemberShape,
    ResultColumns, ResultOrder, ResultPosition, SameRowsAs, SetOperator, Union, UnionAll,
};
pub use cte::{
    Cte, CteBody, CteList, DerivedTable, DerivedTableDsl, MatchesColumns, ReadOnlyQuery, WithDsl,
    WithStatement, cte, recursive_cte,
};
pub use cte_use::{CteDefinedHere, CtesDefined, DefinesCte};
pub use delete::{DeleteStatement, delete};
pub use find::{CompositeKey, FindKey};
pub use group_lookup::{
    ColumnId, ColumnPosition, GroupedThrough, IsYes, KeyIdentity, ListedThrough, ListsColumn,
    LookedUpColumns, NotAColumn, SameKey,
};
pub use hint::{Hinted, HintedTable, WithHint};
pub use insert::{
    BatchInsert, DefaultValues, IncompleteInsert, InsertHasValues, InsertStatement, InsertValues,
    Insertable, InsertsRows, insert_batch, insert_into,
};
pub use insert_select::{FitsRow, InsertColumns, InsertFromSelect};
pub use join::{
    AmbiguousForeignKey, CheckOn, Cross, ForeignKeyTo, FromClause, FullOuter, Inner, Join, JoinDsl,
    JoinKind, JoinOf, JoinPath, JoinSupport, JoinTarget, JoinedFromList, LeftOuter, NoOn, OnClause,
    RightOuter, ToChild, ToParent, UniqueForeignKey, WithNullability, table_from_sql,
};
pub use lateral::{Lateral, lateral};
pub use leading::{
    ExtendedFrom, ExtraJoin, ExtraJoinSql, KeyOnly, LeadingColumns, NoColumns, NoExtraJoin,
    WithKeyOnly, WithLeadingColumns, key_column_name,
};
pub use merge::MergeAction;
pub use no_from::{NoFrom, NoTables, select};
pub use order_checks::{
    AtPosition, DistinctOrder, InSelectList, OrderFitsSelection, SameItem, SelectedByDistinct,
    TermsSelected,
};
pub use prefix::{PrefixWith, PrefixableStatement, Prefixed};
pub use quantified::{Quantified, QuantifiedOperand, StandsRightOfAComparison, all_of, any_of};
pub use render::RenderStatement;
pub use required_columns::{Assigned, CoversRequired, FindsColumn, GivesValueTo, InsertedColumns};
pub use rollup::{
    Cube, Grouping, GroupingSets, KeysByPosition, Rollup, cube, grouping, grouping_sets, rollup,
};
pub use rows_taken::{RowsTaken, RowsTakenClause};
pub use run::{AsQuery, DebugQuery, LimitOne, RunQueryDsl, debug_query};
pub use run_async::{AsyncRunQueryDsl, QueryFuture};
pub use scope::{
    CheckedGrouping, ColumnInScope, GroupBy, GroupByClause, GroupKey, GroupKeys, Grouped,
    GroupedBy, GroupedRows, GroupingKind, HasGroupKey, ListsKeyAt, NoGroupBy, PlainGrouping, Scope,
    ScopeFrom, SubtotalGrouping, TableScope, Ungrouped, UngroupedRows, UngroupedScope, grouped,
};
pub use select::{
    FindWhere, GroupByFirst, HavingNeedsGroupBy, RowScope, SelectScope, SelectStatement,
    WriteSelect,
};
pub use selection::{
    AsSelect, DefaultSelection, SelectItem, Selectable, SelectableRow, Selected, Selection,
    ValidSelection,
};
pub use source::QuerySource;
pub use subquery::{
    Correlated, Exists, InSubquery, OuterTablesIn, ScalarSubquery, SingleColumn, Subquery,
    SubqueryOf, exists,
};
pub use table_dsl::QueryDsl;
pub use target::{IntoTarget, NoReturning, Returning};
pub use text::{Columns, NamedBind, NamedBinds, TextQuery, UndeclaredColumns, text};
pub use update::UpdateHasSet;
pub use update::{AsChangeset, IncompleteUpdate, UpdateStatement, update};
pub use upsert::{
    ConflictClause, ConflictTarget, ConflictTargetClause, DoNothingOnAnyConflict,
    DoNothingOnConflict, DoUpdateOnConflict, Excluded, IncompleteDoUpdate, IncompleteOnConflict,
    NoConflict, OnColumns, OnConstraint, OnPartialIndex, UpdateCondition, UpdateOnDuplicateKey,
    UpdateWhere, excluded,
};

/// A statement that returns rows of SQL type `SqlRow`.
#[diagnostic::on_unimplemented(
    message = "this statement returns no rows that can be read",
    label = "this statement has no typed result rows",
    note = "give a `text(..)` statement its column types with `.columns::<(Integer, Text)>()`; an INSERT, UPDATE or DELETE returns rows with `.returning(..)`; `.execute(conn)` runs a statement for its count of rows"
)]
pub trait Query {
    /// The SQL type of one row (a tuple for several columns).
    type SqlRow;
}

/// The select clause of a query over FROM source `F` grouped by `G`: yields the row type.
pub trait SelectClause<F, G> {
    /// The SQL type of one row.
    type SqlRow;
}
