//! Path templates → segments, checked against the path parameters.

use super::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::ir::{Param, ParamLocation, Segment, SegmentPart};

/// One piece of a template segment, before parameters are matched.
enum Piece<'t> {
    Text(&'t str),
    Var(&'t str),
}

/// Splits `v{major}.{minor}` into text and variables; `None` when braces don't pair up.
fn pieces(segment: &str) -> Option<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                out.push(Piece::Text(rest));
                break;
            }
            Some(i) if rest[i..].starts_with('}') => return None,
            Some(i) => {
                if i > 0 {
                    out.push(Piece::Text(&rest[..i]));
                }
                let after = &rest[i + 1..];
                let end = after.find('}')?;
                let var = &after[..end];
                if var.is_empty() || var.contains('{') {
                    return None;
                }
                out.push(Piece::Var(var));
                rest = &after[end + 1..];
            }
        }
    }
    Some(out)
}

impl Lowerer<'_> {
    /// Splits the path template, checking that template variables and path parameters agree.
    /// `rejected` are path parameters that were declared but already reported; `unresolved`
    /// says a parameter reference was broken, which may have been any variable's.
    pub(super) fn segments(
        &mut self,
        path: &str,
        params: &[Param],
        rejected: &[String],
        unresolved: bool,
        at: &str,
    ) -> Option<Vec<Segment>> {
        let mut segments = Vec::new();
        let mut used = Vec::new();
        let mut ok = true;
        for part in path.split('/').filter(|s| !s.is_empty()) {
            let Some(found) = pieces(part) else {
                ok = false;
                self.diags.push(
                    Diagnostic::error(at, format!("path segment `{part}` has unbalanced braces"))
                        .with_help("write each variable as `{name}`"),
                );
                continue;
            };
            let mut parts = Vec::new();
            for piece in found {
                match piece {
                    Piece::Text(text) => parts.push(SegmentPart::Text(text.to_owned())),
                    Piece::Var(var) => {
                        match params
                            .iter()
                            .find(|p| p.location == ParamLocation::Path && p.wire_name == var)
                        {
                            Some(p) => {
                                used.push(p.name.clone());
                                parts.push(SegmentPart::Param(p.name.clone()));
                            }
                            None => {
                                ok = false;
                                if !unresolved && !rejected.iter().any(|r| r == var) {
                                    self.diags.push(
                                        Diagnostic::error(
                                            at,
                                            format!(
                                                "path variable `{{{var}}}` has no path parameter"
                                            ),
                                        )
                                        .with_help(
                                            format!("declare a parameter `{var}` with `in: path`"),
                                        ),
                                    );
                                }
                            }
                        }
                    }
                }
            }
            segments.push(match parts.as_slice() {
                [SegmentPart::Text(t)] => Segment::Literal(t.clone()),
                [SegmentPart::Param(p)] => Segment::Param(p.clone()),
                _ => Segment::Mixed(parts),
            });
        }
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !used.contains(&p.name) {
                ok = false;
                self.diags.push(
                    Diagnostic::error(
                        at,
                        format!(
                            "path parameter `{}` does not appear in the path `{path}`",
                            p.wire_name
                        ),
                    )
                    .with_help("add `{name}` to the path, or remove the parameter"),
                );
            }
        }
        ok.then_some(segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(segment: &str) -> Option<String> {
        pieces(segment).map(|ps| {
            ps.iter()
                .map(|p| match p {
                    Piece::Text(t) => format!("'{t}'"),
                    Piece::Var(v) => format!("<{v}>"),
                })
                .collect::<Vec<_>>()
                .join("")
        })
    }

    #[test]
    fn mixed_segments() {
        assert_eq!(shape("{id}.pdf").as_deref(), Some("<id>'.pdf'"));
        assert_eq!(
            shape("v{major}.{minor}").as_deref(),
            Some("'v'<major>'.'<minor>")
        );
        assert_eq!(shape("plain").as_deref(), Some("'plain'"));
        assert_eq!(shape("{a}{b}").as_deref(), Some("<a><b>"));
        for broken in ["{a", "a}", "{}", "{a{b}}", "}{"] {
            assert!(shape(broken).is_none(), "{broken}");
        }
    }
}
