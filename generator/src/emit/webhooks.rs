//! The enum of webhook events: one variant per event type holding its body type, `Unknown`
//! for the rest, decoded by the event-type property, and verified with the runtime when the
//! spec names a signature header. Both ways in (`verify_and_parse` and `Deserialize`) pick the
//! variant in one `from_event`, which decodes the variant with the runtime's `decode_event`,
//! so a field that doesn't fit is named by its path within the event.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::tokens::{self, Ctx};
use crate::doc;
use crate::ir::Webhooks;

pub fn webhooks(ctx: &Ctx, w: &Webhooks) -> TokenStream {
    let name = format_ident!("{}", w.name);
    let tag = &w.tag;
    let boxed: Vec<bool> = w
        .events
        .iter()
        .map(|e| super::size::is_large(ctx, &e.ty))
        .collect();
    let variants = w.events.iter().zip(&boxed).map(|(e, boxed)| {
        let vname = format_ident!("{}", e.name);
        let ty = tokens::ty(&e.ty);
        // Event bodies differ in size a lot; boxing the large ones keeps the enum small.
        let ty = if *boxed { quote!(Box<#ty>) } else { ty };
        let mut docs = e.docs.clone();
        docs.paragraphs
            .insert(0, format!("{}.", doc::code(&e.event)));
        let docs = tokens::docs(&docs);
        quote! {
            #docs
            #vname(#ty),
        }
    });
    let types = w.events.iter().map(|e| {
        let vname = format_ident!("{}", e.name);
        let event = &e.event;
        quote!(Self::#vname(_) => #event,)
    });
    let arms = w.events.iter().zip(&boxed).map(|(e, boxed)| {
        let vname = format_ident!("{}", e.name);
        let event = &e.event;
        let wrap = if *boxed {
            quote!(|v| Self::#vname(Box::new(v)))
        } else {
            quote!(Self::#vname)
        };
        quote!(#event => rt::webhook::decode_event(&event, &value).map(#wrap),)
    });
    let serialize = w.events.iter().map(|e| {
        let vname = format_ident!("{}", e.name);
        quote!(Self::#vname(event) => event.serialize(serializer),)
    });
    let (decode_doc, verify, signed) = match &w.signature_header {
        Some(header) => (
            format!(
                " Decode a request body with [`{}::verify_and_parse`], which first checks the \
                 {} signature; a handler must pass the body exactly as received.",
                w.name,
                doc::code(header)
            ),
            quote! {
                /// The request header that carries the body's hex HMAC-SHA256.
                pub const SIGNATURE_HEADER: &'static str = #header;

                /// Checks `signature` (the [`Self::SIGNATURE_HEADER`] value, `None` when the
                /// request has none) against the raw body and the endpoint's secret, in constant
                /// time, and only then decodes the event. A blank secret verifies nothing
                /// ([`rt::WebhookError::EmptySecret`]). A known event whose body doesn't fit is
                /// [`rt::WebhookError::InvalidBody`], naming the event type and the field's path
                /// within the event. Only the body is signed: a timestamp header proves nothing
                /// about freshness, so deduplicate events by their ids.
                pub fn verify_and_parse(
                    raw_body: &[u8],
                    signature: Option<&str>,
                    secret: &rt::WebhookSecret,
                ) -> Result<Self, rt::WebhookError> {
                    let (event, value) =
                        rt::webhook::verify_and_read(raw_body, signature, secret, #tag)?;
                    Self::from_event(event, value)
                }
            },
            quote! {
                impl rt::SignedEvent for #name {
                    const SIGNATURE_HEADER: &'static str = Self::SIGNATURE_HEADER;

                    fn verify_and_parse(
                        raw_body: &[u8],
                        signature: Option<&str>,
                        secret: &rt::WebhookSecret,
                    ) -> Result<Self, rt::WebhookError> {
                        Self::verify_and_parse(raw_body, signature, secret)
                    }
                }
            },
        ),
        None => (
            " Decode a request body with `serde_json::from_slice`; the spec declares no \
             signature to check."
                .to_owned(),
            TokenStream::new(),
            TokenStream::new(),
        ),
    };
    let tag_code = doc::code(tag);
    let summary = format!(
        " An event this API sends to your webhook endpoints, chosen by its {tag_code} property."
    );
    let unknown = format!(
        " An event type this client doesn't know yet (new ones appear over time): its {tag_code} \
         and the whole event, kept as JSON."
    );
    let hidden = super::types::hidden_variant(ctx);
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = #decode_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #[doc = #unknown]
            Unknown {
                /// The event type, as sent.
                event: String,
                /// The whole event.
                data: rt::serde_json::Value,
            },
            #hidden
        }

        impl #name {
            /// The event type, as sent.
            pub fn event_type(&self) -> &str {
                match self {
                    #(#types)*
                    Self::Unknown { event, .. } => event,
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }

            #verify

            /// The variant of an event of type `event` (read from `value`), decoded from
            /// `value`: the one dispatch every way of decoding an event goes through.
            fn from_event(
                event: String,
                value: rt::serde_json::Value,
            ) -> Result<Self, rt::WebhookError> {
                match event.as_str() {
                    #(#arms)*
                    _ => Ok(Self::Unknown { event, data: value }),
                }
            }
        }

        #signed

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use rt::serde::de::Error as _;
                let value = rt::serde_json::Value::deserialize(deserializer)?;
                let event = rt::tag_of::<D::Error>(&value, #tag)?;
                Self::from_event(event, value).map_err(D::Error::custom)
            }
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize)*
                    Self::Unknown { data, .. } => data.serialize(serializer),
                    Self::__NonExhaustive(never) => never.unreachable(),
                }
            }
        }
    }
}
