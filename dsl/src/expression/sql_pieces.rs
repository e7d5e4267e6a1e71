//! A short list of SQL pieces kept on the stack, for expressions whose SQL is a sequence of
//! fixed text and operands (some written more than once): the list is walked once to write
//! and once to bind, so both agree on the order, and it is built again for every execution's
//! binds without an allocation.

/// Up to 24 pieces: the longest spelling written with it has 22.
pub(crate) struct SqlPieces<P: Copy> {
    items: [Option<P>; 24],
    len: usize,
}

impl<P: Copy> SqlPieces<P> {
    /// The list of `items`.
    pub(crate) fn of(items: &[P]) -> Self {
        let mut pieces = SqlPieces {
            items: [None; 24],
            len: 0,
        };
        pieces.extend(items.iter().copied());
        pieces
    }

    /// Adds one piece.
    pub(crate) fn push(&mut self, piece: P) {
        self.items[self.len] = Some(piece);
        self.len += 1;
    }

    /// Adds pieces in order.
    pub(crate) fn extend(&mut self, pieces: impl IntoIterator<Item = P>) {
        for piece in pieces {
            self.push(piece);
        }
    }

    /// The pieces, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = P> + '_ {
        self.items[..self.len].iter().flatten().copied()
    }
}
