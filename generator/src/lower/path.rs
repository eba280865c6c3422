//! Path templates → segments, checked against the path parameters.

use super::Lowerer;
use crate::diagnostic::Diagnostic;
use crate::doc;
use crate::ident::{self, Scope};
use crate::ir::{Docs, Param, ParamLocation, ParamStyle, Segment, SegmentPart, TypeRef};

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

/// A name as an author might spell it any way: `cardInvitationId`, `card_invitation_id` and
/// `card-invitation-id` are one name.
fn loose(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Lowerer<'_> {
    /// Splits the path template, checking that template variables and path parameters agree.
    /// `rejected` are path parameters that were declared but already reported; `unresolved`
    /// says a parameter reference was broken, which may have been any variable's.
    ///
    /// Where they disagree by an author's mistake with a clear meaning, `params` is mended to
    /// what the author meant, with a warning: a variable matches a parameter spelled another
    /// way (`{cardInvitationId}` and `card_invitation_id`), a variable with no parameter at
    /// all is a required string, and a path parameter the path doesn't have is ignored.
    pub(super) fn segments(
        &mut self,
        path: &str,
        params: &mut Vec<Param>,
        rejected: &[String],
        unresolved: bool,
        at: &str,
    ) -> Option<Vec<Segment>> {
        let mut templates = Vec::new();
        let mut ok = true;
        for part in path.split('/').filter(|s| !s.is_empty()) {
            match pieces(part) {
                Some(found) => templates.push(found),
                None => {
                    ok = false;
                    self.diags.push(
                        Diagnostic::error(
                            at,
                            format!("path segment `{part}` has unbalanced braces"),
                        )
                        .with_help("write each variable as `{name}`"),
                    );
                }
            }
        }
        let vars: Vec<&str> = templates
            .iter()
            .flatten()
            .filter_map(|piece| match piece {
                Piece::Var(var) => Some(*var),
                Piece::Text(_) => None,
            })
            .collect();
        let is_path = |p: &Param| p.location == ParamLocation::Path;
        // Variables spelled exactly as a parameter come first: a loose match may only take a
        // parameter that no variable names exactly.
        let mut used: Vec<String> = vars
            .iter()
            .filter_map(|var| params.iter().find(|p| is_path(p) && p.wire_name == *var))
            .map(|p| p.name.clone())
            .collect();
        for var in &vars {
            if params.iter().any(|p| is_path(p) && p.wire_name == *var)
                || rejected.iter().any(|r| r == var)
            {
                continue;
            }
            if unresolved {
                // The broken reference may have been this variable's parameter.
                ok = false;
                continue;
            }
            let loosely: Vec<usize> = params
                .iter()
                .enumerate()
                .filter(|(_, p)| is_path(p) && !used.contains(&p.name))
                .filter(|(_, p)| loose(&p.wire_name) == loose(var))
                .map(|(i, _)| i)
                .collect();
            if let [i] = loosely[..] {
                let param = &mut params[i];
                self.diags.push(
                    Diagnostic::mistake(
                        at,
                        format!(
                            "path variable `{{{var}}}` has no parameter of that name; `{}` differs only in case or separators",
                            param.wire_name
                        ),
                        format!("read as the parameter `{}`", param.wire_name),
                    )
                    .with_help(format!(
                        "spell the variable and the parameter alike: `{{{}}}`",
                        param.wire_name
                    )),
                );
                param.wire_name = (*var).to_owned();
                used.push(param.name.clone());
                continue;
            }
            let mut scope = Scope::with_reserved(
                params
                    .iter()
                    .map(|p| p.name.as_str())
                    .chain(["self", "body", "params", "call"]),
            );
            let name = scope.claim(ident::snake(var));
            self.diags.push(
                Diagnostic::mistake(
                    at,
                    format!("path variable `{{{var}}}` has no path parameter"),
                    format!("read as a required string argument `{name}`"),
                )
                .with_help(format!("declare a parameter `{var}` with `in: path`")),
            );
            used.push(name.clone());
            params.push(Param {
                name,
                wire_name: (*var).to_owned(),
                location: ParamLocation::Path,
                ty: TypeRef::String,
                style: ParamStyle::Form { explode: true },
                required: true,
                docs: Docs {
                    paragraphs: vec![format!(
                        "The `{}` path variable (the document declares no parameter for it).",
                        doc::code(var)
                    )],
                },
                deprecated: false,
            });
        }
        let mut ignored = Vec::new();
        for p in params
            .iter()
            .filter(|p| is_path(p) && !used.contains(&p.name))
        {
            self.diags.push(
                Diagnostic::mistake(
                    at,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        p.wire_name
                    ),
                    "the parameter is ignored",
                )
                .with_help(format!(
                    "add `{{{}}}` to the path, or remove the parameter",
                    p.wire_name
                )),
            );
            ignored.push(p.name.clone());
        }
        params.retain(|p| !ignored.contains(&p.name));

        let segments = templates
            .into_iter()
            .map(|found| {
                let parts: Vec<SegmentPart> = found
                    .into_iter()
                    .map(|piece| match piece {
                        Piece::Text(text) => SegmentPart::Text(text.to_owned()),
                        Piece::Var(var) => SegmentPart::Param(
                            params
                                .iter()
                                .find(|p| is_path(p) && p.wire_name == var)
                                .map(|p| p.name.clone())
                                .unwrap_or_default(),
                        ),
                    })
                    .collect();
                match parts.as_slice() {
                    [SegmentPart::Text(t)] => Segment::Literal(t.clone()),
                    [SegmentPart::Param(p)] => Segment::Param(p.clone()),
                    _ => Segment::Mixed(parts),
                }
            })
            .collect();
        // A variable whose parameter was rejected or unresolved has no name to fill.
        ok &= vars
            .iter()
            .all(|var| params.iter().any(|p| is_path(p) && p.wire_name == *var));
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
