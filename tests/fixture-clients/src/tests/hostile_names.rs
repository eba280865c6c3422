//! Names that hold line breaks, code fences and bidi controls, a schema name of five thousand
//! characters and sixty levels of inline objects: the client builds (that is most of the
//! point), and at run time the odd names still travel exactly as the spec spells them.

use super::{recorder, round_trip, wired};
use crate::hostile_names::{
    Client, Deep, SelfParams,
    VeryverylongschemanameVeryverylongschemanameVeryverylonHfe8c920e as Thing,
};
use commet_fake::wire::WireReply;

#[tokio::test]
async fn parameter_names_with_fences_and_bidi_controls_are_sent_escaped() {
    let server = recorder().await;
    server.reply(WireReply::json(200, "{}"));
    let client = wired(Client::builder(), &server);
    client
        .self_(
            SelfParams::new()
                .filter_rust_assert_false("x")
                .rtl_u202e_eman("y"),
        )
        .await
        .expect("sent");
    assert_eq!(
        server.only_request().query(),
        Some("filter%0A%60%60%60rust%0Aassert%21%28false%29%0A%60%60%60=x&rtl%E2%80%AEeman=y")
    );
}

#[test]
fn property_names_with_line_breaks_decode_and_encode_as_written() {
    let thing: Thing = round_trip(r#"{"line\n```\nassert!(false)\n```":"a","tab\there":"b"}"#);
    assert_eq!(thing.line_assert_false.as_deref(), Some("a"));
    assert_eq!(thing.tab_here.as_deref(), Some("b"));
}

#[test]
fn sixty_levels_of_inline_objects_decode() {
    let mut json = r#"{"level60":"bottom"}"#.to_owned();
    for level in (1..60).rev() {
        json = format!(r#"{{"level{level}":{json}}}"#);
    }
    let deep: Deep = round_trip(&json);
    assert!(deep.level1.is_some());
}
