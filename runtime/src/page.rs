//! Cursor pagination: one page, and a lazy stream over all items.

use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::call::Call;
use crate::error::{Error, ErrorBody};

/// One page of a list: `{"data": [..], "hasMore": bool, "nextCursor": string?}`.
/// Other fields (`success`, `object`, ...) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Whether another page follows.
    pub has_more: bool,
    /// The cursor to pass for the next page.
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// All items of a list, fetching pages lazily as the stream is polled.
///
/// A repeated cursor or `hasMore: true` without `nextCursor` ends the stream with
/// [`Error::Pagination`] (after the items already received), never an endless loop.
/// Any other error is yielded once and ends the stream.
pub struct PageStream<T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>,
}

impl<T, E> fmt::Debug for PageStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

/// What to do once the buffered items are used up.
enum Next {
    Fetch(Option<String>),
    /// The page was fine but the pagination is broken; the message says how.
    Fail(String),
    Done,
}

struct State<T, E> {
    call: Call<Page<T>, E>,
    cursor_param: &'static str,
    buffer: VecDeque<T>,
    next: Next,
    seen: HashSet<String>,
}

impl<T, E> PageStream<T, E>
where
    T: DeserializeOwned + Send + 'static,
    E: ErrorBody,
{
    /// Streams the items of `first_page` and of the following pages, each fetched by
    /// re-sending the call with `cursor_param=<nextCursor>`.
    pub fn new(first_page: Call<Page<T>, E>, cursor_param: &'static str) -> Self {
        let mut seen = HashSet::new();
        // A cursor the caller started from counts as seen: the server must not send it back.
        if let Some(start) = first_page.query_value(cursor_param) {
            seen.insert(start.to_owned());
        }
        let state = State {
            call: first_page,
            cursor_param,
            buffer: VecDeque::new(),
            next: Next::Fetch(None),
            seen,
        };
        Self {
            inner: Box::pin(futures_util::stream::unfold(state, step)),
        }
    }
}

async fn step<T, E>(mut st: State<T, E>) -> Option<(Result<T, Error<E>>, State<T, E>)>
where
    T: DeserializeOwned + Send + 'static,
    E: ErrorBody,
{
    loop {
        if let Some(item) = st.buffer.pop_front() {
            return Some((Ok(item), st));
        }
        let cursor = match std::mem::replace(&mut st.next, Next::Done) {
            Next::Done => return None,
            Next::Fail(message) => return Some((Err(Error::Pagination(message)), st)),
            Next::Fetch(cursor) => cursor,
        };
        let mut call = st.call.clone();
        if let Some(cursor) = cursor {
            call.set_query(st.cursor_param, cursor);
            // Each page is a request of its own: a clone's key would replay the first page.
            call.renew_generated_key();
        }
        let page = match call.send().await {
            Ok(response) => response.data,
            Err(error) => return Some((Err(error), st)),
        };
        st.buffer.extend(page.data);
        st.next = match (page.has_more, page.next_cursor) {
            (false, _) => Next::Done,
            (true, None) => Next::Fail("hasMore is true but nextCursor is missing".to_owned()),
            (true, Some(cursor)) if cursor.is_empty() => {
                Next::Fail("hasMore is true but nextCursor is empty".to_owned())
            }
            (true, Some(cursor)) => {
                if st.seen.insert(cursor.clone()) {
                    Next::Fetch(Some(cursor))
                } else {
                    Next::Fail(format!(
                        "the server repeated cursor `{cursor}`; stopping to avoid a loop"
                    ))
                }
            }
        };
    }
}

impl<T, E> Stream for PageStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}
