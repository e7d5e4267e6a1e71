//! The identity of a FROM entry, as a type, so that a table joined twice without an alias is
//! a compile error.
//!
//! SQL forbids two FROM entries with the same name. Every table and alias has a
//! [`NamedSource::Id`]: the 32-bit FNV-1a hash of its SQL name as eight hexadecimal digit
//! types, computed by `table!` and `alias!`. Two ids differ when some digit differs, which the
//! compiler can prove positively; two equal ids are two uses of one name. (Two different
//! names with equal hashes would be refused too: one chance in four billion per pair of
//! tables joined together.)

use super::Entry;

/// Hexadecimal digits of a source id.
pub mod digits {
    macro_rules! digits {
        ($($d:ident)*) => {$(
            #[doc = concat!("The hexadecimal digit `", stringify!($d), "`.")]
            #[derive(Debug, Clone, Copy, Default)]
            pub struct $d;
        )*};
    }
    digits!(H0 H1 H2 H3 H4 H5 H6 H7 H8 H9 HA HB HC HD HE HF);
}

use digits::*;

/// A FROM entry with a name: a table or an alias.
pub trait NamedSource {
    /// The hash of its SQL name, as nested digit types.
    type Id;
}

/// Rule: a FROM clause names each table once; a second use needs an alias.
#[diagnostic::on_unimplemented(
    message = "`{T}` is already in the FROM clause of this query",
    label = "this join adds `{T}` a second time",
    note = "give one of them an alias: `let other = alias!(table as other);` and join `other`"
)]
pub trait Differs<Other, T> {}

// One impl per pair of leading digits: different digits settle it, equal ones defer to the
// rest of the id. macro_rules cannot compare identifiers, so the 16 equal pairs have their
// own arms.
macro_rules! differs {
    ($($a:ident)*) => {
        differs!(@rows [$($a)*] $($a)*);
    };
    (@rows $all:tt $($a:ident)*) => {$(
        differs!(@row $a $all);
    )*};
    (@row $a:ident [$($b:ident)*]) => {$(
        differs!(@pair $a $b);
    )*};
    (@pair H0 H0) => { differs!(@same H0); };
    (@pair H1 H1) => { differs!(@same H1); };
    (@pair H2 H2) => { differs!(@same H2); };
    (@pair H3 H3) => { differs!(@same H3); };
    (@pair H4 H4) => { differs!(@same H4); };
    (@pair H5 H5) => { differs!(@same H5); };
    (@pair H6 H6) => { differs!(@same H6); };
    (@pair H7 H7) => { differs!(@same H7); };
    (@pair H8 H8) => { differs!(@same H8); };
    (@pair H9 H9) => { differs!(@same H9); };
    (@pair HA HA) => { differs!(@same HA); };
    (@pair HB HB) => { differs!(@same HB); };
    (@pair HC HC) => { differs!(@same HC); };
    (@pair HD HD) => { differs!(@same HD); };
    (@pair HE HE) => { differs!(@same HE); };
    (@pair HF HF) => { differs!(@same HF); };
    (@pair $a:ident $b:ident) => {
        #[diagnostic::do_not_recommend]
        impl<TA, TB, T> Differs<($b, TB), T> for ($a, TA) {}
    };
    (@same $d:ident) => {
        #[diagnostic::do_not_recommend]
        impl<TA: Differs<TB, T>, TB, T> Differs<($d, TB), T> for ($d, TA) {}
    };
}

differs!(H0 H1 H2 H3 H4 H5 H6 H7 H8 H9 HA HB HC HD HE HF);

/// Source `T` (with id `Id`) is not yet in this FROM list.
pub trait LacksSource<Id, T> {}

impl<Id, T> LacksSource<Id, T> for () {}

impl<Id, T, H: NamedSource, N, Tail> LacksSource<Id, T> for (Entry<H, N>, Tail)
where
    H::Id: Differs<Id, T>,
    Tail: LacksSource<Id, T>,
{
}

/// Every source of this FROM list (the right side of a join) is new to `FL` (the left side).
pub trait NewSources<FL> {}

impl<FL> NewSources<FL> for () {}

impl<T: NamedSource, N, Tail, FL> NewSources<FL> for (Entry<T, N>, Tail)
where
    FL: LacksSource<T::Id, T>,
    Tail: NewSources<FL>,
{
}

/// A type-level yes or no: the answer of [`SameDigits`] and of the GROUP BY key lookup.
pub trait Truth {
    /// `self OR other`.
    type Or<Other: Truth>: Truth;
    /// `self AND other`.
    type And<Other: Truth>: Truth;
}

/// The type-level yes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Yes;
/// The type-level no.
#[derive(Debug, Clone, Copy, Default)]
pub struct No;

impl Truth for Yes {
    type Or<Other: Truth> = Yes;
    type And<Other: Truth> = Other;
}

impl Truth for No {
    type Or<Other: Truth> = Other;
    type And<Other: Truth> = No;
}

/// Whether two lists of digits (a source id, a column's position) are the same, as a type:
/// unlike [`Differs`], which only proves a difference, this answers both ways, so a search can
/// take one branch or the other without two impls matching.
pub trait SameDigits<Other> {
    /// [`Yes`] or [`No`].
    type Answer: Truth;
}

impl SameDigits<()> for () {
    type Answer = Yes;
}

macro_rules! same_digits {
    ($($a:ident)*) => {
        same_digits!(@rows [$($a)*] $($a)*);
    };
    (@rows $all:tt $($a:ident)*) => {$(
        same_digits!(@row $a $all);
    )*};
    (@row $a:ident [$($b:ident)*]) => {$(
        same_digits!(@pair $a $b);
    )*};
    (@pair H0 H0) => { same_digits!(@same H0); };
    (@pair H1 H1) => { same_digits!(@same H1); };
    (@pair H2 H2) => { same_digits!(@same H2); };
    (@pair H3 H3) => { same_digits!(@same H3); };
    (@pair H4 H4) => { same_digits!(@same H4); };
    (@pair H5 H5) => { same_digits!(@same H5); };
    (@pair H6 H6) => { same_digits!(@same H6); };
    (@pair H7 H7) => { same_digits!(@same H7); };
    (@pair H8 H8) => { same_digits!(@same H8); };
    (@pair H9 H9) => { same_digits!(@same H9); };
    (@pair HA HA) => { same_digits!(@same HA); };
    (@pair HB HB) => { same_digits!(@same HB); };
    (@pair HC HC) => { same_digits!(@same HC); };
    (@pair HD HD) => { same_digits!(@same HD); };
    (@pair HE HE) => { same_digits!(@same HE); };
    (@pair HF HF) => { same_digits!(@same HF); };
    (@pair $a:ident $b:ident) => {
        impl<TA, TB> SameDigits<($b, TB)> for ($a, TA) {
            type Answer = No;
        }
    };
    (@same $d:ident) => {
        impl<TA: SameDigits<TB>, TB> SameDigits<($d, TB)> for ($d, TA) {
            type Answer = TA::Answer;
        }
    };
}

same_digits!(H0 H1 H2 H3 H4 H5 H6 H7 H8 H9 HA HB HC HD HE HF);
