//! The table "Payment event fields, as Commet's official Go SDK types them" of the vendored
//! Commet API notes (`tests/vendored/commet-api.md`), read into data, so that the spec's
//! webhook schemas are checked against the notes themselves rather than a copy of them.
//!
//! A row names one or more events, then its non-null fields, then its nullable ones. Cells
//! are short prose, and this reads the few forms they take:
//! - a list of field names in backticks: `` `invoiceId`, `invoiceNumber` ``;
//! - "the same" (the previous row's fields), "the same as created" (the row of
//!   `payment_link.created`), "as `payment.disputed`" (that row's), each maybe followed by
//!   "plus" and more names;
//! - values in parentheses after a field: `` `outcome` (`won` or `lost`) ``;
//! - after a `;`, a remark about one field; "absent" in it means the field may be left out;
//! - "—" for none.
//!
//! Anything else is a panic with the row, so a rewording of the notes fails loudly instead
//! of being read as fewer fields.

use std::collections::BTreeMap;

/// The heading the table follows.
const HEADING: &str = "### Payment event fields, as Commet's official Go SDK types them";

/// One field of an event's `data`, as the table types it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The SDK types it as a pointer: it may be `null`.
    pub nullable: bool,
    /// Always sent. False only for a field the table says to accept absent.
    pub required: bool,
    /// The values the table lists for it (`won`, `lost`), if any.
    pub values: Vec<String>,
}

/// The events of one row and their fields, in the table's order (non-null ones first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub events: Vec<String>,
    pub fields: Vec<Field>,
}

/// Every row of the table in `notes`.
pub fn parse(notes: &str) -> Vec<Row> {
    let start = notes
        .find(HEADING)
        .unwrap_or_else(|| panic!("the notes have no heading {HEADING:?}"));
    let lines = notes[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2); // the header and its separator
    let mut rows: Vec<Row> = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        let [events, non_null, nullable] = cells[..] else {
            panic!("a row of three cells expected: {line}");
        };
        let events: Vec<String> = tokens(events)
            .into_iter()
            .map(|t| match t {
                Token::Code(code, 0) if code.contains('.') => code,
                other => panic!("an event name expected, found {other:?} in: {line}"),
            })
            .collect();
        let mut fields = non_null_fields(non_null, &rows, line);
        fields.extend(nullable_fields(nullable, &rows, line));
        rows.push(Row { events, fields });
    }
    assert!(!rows.is_empty(), "the table under {HEADING:?} has no rows");
    rows
}

/// Each event of the table and its fields by name.
pub fn by_event(rows: &[Row]) -> BTreeMap<String, Vec<Field>> {
    let mut out = BTreeMap::new();
    for row in rows {
        for event in &row.events {
            let previous = out.insert(event.clone(), row.fields.clone());
            assert!(previous.is_none(), "{event} is in two rows");
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// Text in backticks, and how many parentheses it is inside.
    Code(String, usize),
    /// A word of prose, lower case, without punctuation.
    Word(String),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '`' => {
                let end = rest[1..]
                    .find('`')
                    .unwrap_or_else(|| panic!("an unclosed backtick in: {text}"));
                out.push(Token::Code(rest[1..=end].to_owned(), depth));
                rest = &rest[end + 2..];
                continue;
            }
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if c.is_alphanumeric() => {
                let end = rest
                    .find(|c: char| !c.is_alphanumeric() && c != '_')
                    .unwrap_or(rest.len());
                out.push(Token::Word(rest[..end].to_lowercase()));
                rest = &rest[end..];
                continue;
            }
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The fields of the row a cell refers to ("the same", "the same as created", "as `e`"),
/// or none; and the tokens after the reference.
fn referenced<'t>(cell: &'t [Token], rows: &[Row], line: &str) -> (Vec<Field>, &'t [Token]) {
    let word = |i: usize| match cell.get(i) {
        Some(Token::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let find = |event: &str| -> Vec<Field> {
        rows.iter()
            .find(|r| r.events.iter().any(|e| e == event))
            .unwrap_or_else(|| panic!("{event} is referred to before its row: {line}"))
            .fields
            .clone()
    };
    let event_ending = |suffix: &str| -> Vec<Field> {
        rows.iter()
            .find(|r| r.events.iter().any(|e| e.ends_with(&format!(".{suffix}"))))
            .unwrap_or_else(|| panic!("no earlier event ends in .{suffix}: {line}"))
            .fields
            .clone()
    };
    match (word(0), word(1), word(2), word(3)) {
        (Some("the"), Some("same"), Some("as"), Some(which)) => (event_ending(which), &cell[4..]),
        (Some("the"), Some("same"), _, _) => {
            let previous = rows
                .last()
                .unwrap_or_else(|| panic!("\"the same\" in the first row: {line}"));
            (previous.fields.clone(), &cell[2..])
        }
        (Some("as"), ..) => match cell.get(1) {
            Some(Token::Code(event, 0)) if event.contains('.') => (find(event), &cell[2..]),
            other => panic!("an event name expected after \"as\", found {other:?}: {line}"),
        },
        _ => (Vec::new(), cell),
    }
}

/// The fields a list of tokens names (after "plus", if any), each with the values in
/// parentheses after it.
fn named_fields(tokens: &[Token], nullable: bool, line: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for token in tokens {
        match token {
            Token::Code(name, 0) if !name.contains('.') => out.push(Field {
                name: name.clone(),
                nullable,
                required: true,
                values: Vec::new(),
            }),
            Token::Code(value, _) => match out.last_mut() {
                Some(field) => field.values.push(value.clone()),
                None => panic!("a value {value:?} before any field: {line}"),
            },
            Token::Word(w) if w == "plus" || w == "or" => {}
            Token::Word(w) => panic!("unexpected word {w:?} in a list of fields: {line}"),
        }
    }
    out
}

fn non_null_fields(cell: &str, rows: &[Row], line: &str) -> Vec<Field> {
    let mut clauses = cell.split(';');
    let first = tokens(clauses.next().unwrap_or_default());
    let (inherited, rest) = referenced(&first, rows, line);
    let mut fields: Vec<Field> = inherited.into_iter().filter(|f| !f.nullable).collect();
    fields.extend(named_fields(rest, false, line));
    // Each later clause is a remark about the one field it names first.
    for clause in clauses {
        let clause = tokens(clause);
        let Some(Token::Code(name, 0)) = clause.first() else {
            panic!("a remark should start with the field it is about: {line}");
        };
        fields.push(Field {
            name: name.clone(),
            nullable: false,
            required: !clause.contains(&Token::Word("absent".to_owned())),
            values: Vec::new(),
        });
    }
    fields
}

fn nullable_fields(cell: &str, rows: &[Row], line: &str) -> Vec<Field> {
    if cell == "—" {
        return Vec::new();
    }
    let cell = tokens(cell);
    let (inherited, rest) = referenced(&cell, rows, line);
    let mut fields: Vec<Field> = inherited.into_iter().filter(|f| f.nullable).collect();
    fields.extend(named_fields(rest, true, line));
    fields
}
