//! Tokens → formatted text, one piece of the module at a time.
//!
//! Each piece (a type with its impls, one method) is parsed by `syn` and printed by
//! prettyplease on its own, and its text appended: the tokens and syntax tree of the whole
//! module never exist at once, so memory stays at the output text plus one piece, however
//! large the API. prettyplease prints every item, and every item of an impl block, on its own,
//! so the pieces put together read exactly as the whole module printed at once would.

use proc_macro2::TokenStream;
use quote::quote;

use super::EmitError;

/// The module's text so far.
pub(super) struct Printer {
    out: String,
    /// Where the last line of code starts and ends in `out`: spacing depends on it.
    previous: Option<(usize, usize)>,
}

impl Printer {
    /// Starts with a comment of the printer's own (`header`), which is not spaced.
    pub(super) fn new(header: &str) -> Self {
        let mut printer = Self {
            out: String::new(),
            previous: None,
        };
        for line in crate::doc::wrap::doc_comments(header).lines() {
            printer.out.push_str(&crate::doc::comment_safe(line));
            printer.out.push('\n');
        }
        printer
    }

    /// Appends items: anything that may stand at the top of a module.
    pub(super) fn items(&mut self, tokens: TokenStream) -> Result<(), EmitError> {
        if tokens.is_empty() {
            return Ok(());
        }
        let text = unparse(tokens)?;
        self.code(&text);
        Ok(())
    }

    /// Appends items printed elsewhere by [`unparse`].
    pub(super) fn printed(&mut self, text: &str) {
        self.code(text);
    }

    /// Appends an impl block whose members come one at a time: `head` is the block with its
    /// first members (`impl Client { const A: u8 = 1; }`), `members` the rest, each printed
    /// inside an impl block of `self_ty` and then moved into `head`'s.
    pub(super) fn impl_block(
        &mut self,
        head: TokenStream,
        self_ty: &TokenStream,
        members: impl Iterator<Item = TokenStream>,
    ) -> Result<(), EmitError> {
        let head = unparse(head)?;
        let Some(open) = head.strip_suffix("}\n") else {
            return Err(EmitError(format!("an impl block printed as {head:?}")));
        };
        self.code(open);
        for member in members {
            let text = unparse(quote!(impl #self_ty { #member }))?;
            // `impl X {`, the member's lines, `}`: an empty member prints `impl X {}`.
            if let Some((_, rest)) = text.split_once('\n')
                && let Some(body) = rest.strip_suffix("}\n")
            {
                self.code(body);
            }
        }
        self.code("}\n");
        Ok(())
    }

    /// The finished module.
    pub(super) fn finish(self) -> String {
        self.out
    }

    /// Appends printed code line by line: blank lines between items, and each comment made
    /// safe and its doc comments wrapped (the one place every comment passes).
    fn code(&mut self, code: &str) {
        for line in crate::doc::wrap::doc_comments(code).lines() {
            if let Some((start, end)) = self.previous
                && blank_line_between(&self.out[start..end], line)
            {
                self.out.push('\n');
            }
            let start = self.out.len();
            self.out.push_str(&crate::doc::comment_safe(line));
            self.previous = Some((start, self.out.len()));
            self.out.push('\n');
        }
    }
}

/// Items as prettyplease prints them, not yet spaced.
pub(super) fn unparse(tokens: TokenStream) -> Result<String, EmitError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| EmitError(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// prettyplease prints items back to back; a blank line between items (at module level and in
/// impl blocks) makes the file read like hand-written code. Statements inside function bodies
/// sit deeper than four spaces and are left alone.
fn blank_line_between(previous: &str, line: &str) -> bool {
    let indent = line.len() - line.trim_start().len();
    let previous_indent = previous.len() - previous.trim_start().len();
    // A doc line may end in `;` too (`/// let x = 1;`): a blank line after it would split the
    // doc comment from its item.
    let previous_is_comment = previous.trim_start().starts_with("//");
    let previous_ends_item =
        !previous_is_comment && (previous.trim() == "}" || previous.trim_end().ends_with(';'));
    let is_use = |l: &str| {
        let l = l.trim_start();
        l.starts_with("use ") || l.starts_with("pub use ")
    };
    indent <= 4
        && indent == previous_indent
        && previous_ends_item
        && !line.trim().is_empty()
        && !line.trim_start().starts_with('}')
        && !(is_use(previous) && is_use(line))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::Printer;

    fn printed(build: impl FnOnce(&mut Printer)) -> String {
        let mut printer = Printer::new("");
        build(&mut printer);
        printer.finish()
    }

    #[test]
    fn doc_lines_ending_in_a_semicolon_stay_attached() {
        let text = printed(|p| {
            p.code("/// ```text\n/// let x = 1;\n/// ```\npub struct A;\npub struct B;\n")
        });
        assert_eq!(
            text,
            "/// ```text\n/// let x = 1;\n/// ```\npub struct A;\n\npub struct B;\n"
        );
    }

    #[test]
    fn an_impl_block_printed_in_pieces_reads_as_one_printed_whole() {
        let members = [
            quote!(
                /// One.
                pub fn one(&self) -> u8 {
                    1
                }
            ),
            quote!(),
            quote!(
                pub fn two(&self, a: u8, b: u8) -> u8 {
                    let c = a + b;
                    c * 2
                }
            ),
        ];
        let pieces = printed(|p| {
            p.items(quote!(
                use std::fmt;
                use std::io;
                pub struct S;
            ))
            .unwrap();
            p.impl_block(
                quote!(impl S { pub const A: u8 = 1; }),
                &quote!(S),
                members.iter().cloned(),
            )
            .unwrap();
            p.items(quote!(
                pub struct T;
            ))
            .unwrap();
        });
        let whole = printed(|p| {
            p.items(quote! {
                use std::fmt; use std::io; pub struct S;
                impl S { pub const A: u8 = 1; #(#members)* }
                pub struct T;
            })
            .unwrap()
        });
        assert_eq!(pieces, whole);
        assert!(pieces.contains("    }\n\n    pub fn two"), "{pieces}");
    }

    #[test]
    fn tokens_that_are_not_rust_are_an_internal_error() {
        let mut printer = Printer::new("");
        assert!(printer.items(quote!(struct 1;)).is_err());
    }
}
