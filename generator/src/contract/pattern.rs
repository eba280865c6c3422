//! A string that a simple `pattern` matches, for a schema that gives no example.
//!
//! Real documents mostly use patterns of literals, character classes, `\d`/`\w`, groups with
//! alternatives and counted repetitions (`^[a-z]{3}$`, `^cus_[A-Za-z0-9]+$`). Those are
//! written out here: the first alternative, the smallest repetition the length allows. A
//! pattern with anything else (look-arounds, back-references, Unicode classes) gives `None`,
//! and the caller falls back to a plain string, which the mock may then reject: the report
//! shows the pattern, so the person reading it knows why.

/// A string of at least `min_length` characters that `pattern` matches, when the pattern is
/// simple enough to write one out.
pub fn example(pattern: &str, min_length: u64, max_length: Option<u64>) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser { chars, at: 0 };
    let node = parser.alternatives()?;
    if parser.at != parser.chars.len() {
        return None;
    }
    let min = usize::try_from(min_length).ok()?;
    // Repeat what can repeat until the length is reached: the shortest first, longer if needed.
    for extra in 0..=64 {
        let mut out = String::new();
        node.write(&mut out, extra);
        let len = out.chars().count();
        if len >= min && max_length.is_none_or(|m| len as u64 <= m) {
            return Some(out);
        }
    }
    None
}

enum Node {
    Sequence(Vec<Node>),
    /// The first alternative is written.
    Alternatives(Vec<Node>),
    Char(char),
    /// One character of a class.
    Class(char),
    Repeat {
        node: Box<Node>,
        min: usize,
        /// `None` for unbounded.
        max: Option<usize>,
    },
    Empty,
}

impl Node {
    fn write(&self, out: &mut String, extra: usize) {
        match self {
            Node::Sequence(nodes) => nodes.iter().for_each(|n| n.write(out, extra)),
            Node::Alternatives(nodes) => {
                if let Some(first) = nodes.first() {
                    first.write(out, extra);
                }
            }
            Node::Char(c) | Node::Class(c) => out.push(*c),
            Node::Repeat { node, min, max } => {
                let wanted = min.saturating_add(extra);
                let times = max.map_or(wanted, |m| wanted.min(m)).max(*min);
                for _ in 0..times {
                    node.write(out, extra);
                }
            }
            Node::Empty => {}
        }
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    fn alternatives(&mut self) -> Option<Node> {
        let mut options = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.at += 1;
            options.push(self.sequence()?);
        }
        Some(if options.len() == 1 {
            options.pop().unwrap_or(Node::Empty)
        } else {
            Node::Alternatives(options)
        })
    }

    fn sequence(&mut self) -> Option<Node> {
        let mut nodes = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let node = self.quantified(atom)?;
            nodes.push(node);
        }
        Some(Node::Sequence(nodes))
    }

    fn atom(&mut self) -> Option<Node> {
        match self.next()? {
            '^' | '$' => Some(Node::Empty),
            '.' => Some(Node::Class('a')),
            '(' => {
                // A non-capturing or named group reads like a plain one.
                if self.peek() == Some('?') {
                    self.at += 1;
                    match self.next()? {
                        ':' => {}
                        '<' | 'P' => while self.next()? != '>' {},
                        _ => return None,
                    }
                }
                let inner = self.alternatives()?;
                (self.next()? == ')').then_some(inner)
            }
            '[' => self.class(),
            '\\' => self.escape().map(Node::Class),
            '*' | '+' | '?' | '{' | ')' => None,
            c => Some(Node::Char(c)),
        }
    }

    /// A class: its first member (a range's start), unless the class is negated.
    fn class(&mut self) -> Option<Node> {
        let negated = self.peek() == Some('^');
        if negated {
            self.at += 1;
        }
        let mut first: Option<char> = None;
        let mut excluded = Vec::new();
        let mut started = false;
        loop {
            let c = self.next()?;
            if c == ']' && started {
                break;
            }
            started = true;
            let member = if c == '\\' { self.escape()? } else { c };
            excluded.push(member);
            if first.is_none() {
                first = Some(member);
            }
            // A range `a-z`: skip its end.
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|c| *c != ']') {
                self.at += 1;
                if self.next()? == '\\' {
                    self.escape()?;
                }
            }
        }
        if negated {
            // A letter the class does not list.
            return ('a'..='z')
                .chain('0'..='9')
                .find(|c| !excluded.contains(c))
                .map(Node::Class);
        }
        first.map(Node::Class)
    }

    /// The character after a backslash: `\xHH` and `\uHHHH` by code, classes by a member.
    fn escape(&mut self) -> Option<char> {
        let c = self.next()?;
        let digits = match c {
            'x' => 2,
            'u' => 4,
            _ => return escape(c),
        };
        let mut code = 0u32;
        for _ in 0..digits {
            code = code * 16 + self.next()?.to_digit(16)?;
        }
        char::from_u32(code)
    }

    fn quantified(&mut self, atom: Node) -> Option<Node> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.at += 1;
                let mut text = String::new();
                loop {
                    let c = self.next()?;
                    if c == '}' {
                        break;
                    }
                    text.push(c);
                }
                let (low, high) = match text.split_once(',') {
                    Some((l, "")) => (l.trim().parse().ok()?, None),
                    Some((l, h)) => (l.trim().parse().ok()?, Some(h.trim().parse().ok()?)),
                    None => {
                        let n = text.trim().parse().ok()?;
                        (n, Some(n))
                    }
                };
                self.at -= 1;
                (low, high)
            }
            _ => return Some(atom),
        };
        self.at += 1;
        // A lazy or possessive marker changes nothing about what matches.
        if matches!(self.peek(), Some('?' | '+')) {
            self.at += 1;
        }
        Some(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

/// The character an escape stands for, or one of its class.
fn escape(c: char) -> Option<char> {
    match c {
        'd' => Some('1'),
        'w' => Some('a'),
        's' => Some(' '),
        'D' | 'W' | 'S' => Some('-'),
        'b' | 'B' | 'p' | 'P' | 'k' | '1'..='9' => None,
        'n' => Some('\n'),
        't' => Some('\t'),
        c if c.is_ascii_alphanumeric() => None,
        c => Some(c),
    }
}

#[cfg(test)]
mod tests {
    use super::example;

    #[test]
    fn simple_patterns_are_written_out() {
        assert_eq!(example("^[a-z]{3}$", 0, None).as_deref(), Some("aaa"));
        assert_eq!(
            example("^cus_[A-Za-z0-9]+$", 0, None).as_deref(),
            Some("cus_A")
        );
        assert_eq!(
            example("^(live|test)_\\d{2,4}$", 0, None).as_deref(),
            Some("live_11")
        );
        assert_eq!(example("^[^0-9]+$", 3, None).as_deref(), Some("aaa"));
        assert_eq!(
            example("^\\+?[1-9]\\d{1,14}$", 0, None).as_deref(),
            Some("11")
        );
    }

    #[test]
    fn lengths_and_code_escapes_are_honoured() {
        // PayPal's four-digit date: the repetition grows until the length fits.
        assert_eq!(example("^[0-9]+$", 4, Some(4)).as_deref(), Some("0000"));
        assert_eq!(
            example("^[\\x41-\\x5a]{2}\\u002e$", 0, None).as_deref(),
            Some("AA.")
        );
        // PayPal's e-mail pattern: the first alternative of each group.
        let email = concat!(
            "(?:[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*|",
            "(?:[\\x01-\\x08\\x0b]|\\[\\x01-\\x09])*\")@(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*",
            "[a-zA-Z0-9])?\\.)+[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?|\\[(?:[0-9]\\.){3}\\])"
        );
        assert_eq!(example(email, 3, Some(254)).as_deref(), Some("a@a.a"));
    }

    #[test]
    fn what_cannot_be_written_out_is_none() {
        assert_eq!(example("^(?=a)b$", 0, None), None);
        assert_eq!(example("(a)\\1", 0, None), None);
        assert_eq!(example("^[a-z]{2}$", 5, None), None);
    }
}
