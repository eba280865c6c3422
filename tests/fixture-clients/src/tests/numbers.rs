use commet_fake::wire::WireReply;

use super::{decode_error, recorder, round_trip, wired};
use crate::numbers::{Client, Measurements, RecordParams};

#[test]
fn every_integer_format_has_its_range() {
    let max = round_trip::<Measurements>(
        r#"{"tiny":127,"small":32767,"medium":2147483647,"large":9223372036854775807,
            "byte":255,"port":65535,"count":4294967295,"total":18446744073709551615,
            "serial":18446744073709551615,"ratio":0.5,"precise":0.1,"anything":1e300}"#,
    );
    assert_eq!(max.total, Some(u64::MAX));
    assert_eq!(max.ratio, Some(0.5f32));
    for (field, too_big) in [
        ("tiny", "128"),
        ("small", "32768"),
        ("medium", "2147483648"),
        ("byte", "256"),
        ("byte", "-1"),
        ("port", "65536"),
        ("count", "4294967296"),
        ("total", "-1"),
        ("serial", "-1"),
    ] {
        decode_error::<Measurements>(&format!(r#"{{"{field}":{too_big}}}"#));
    }
}

#[tokio::test]
async fn numbers_go_over_the_wire_exactly() {
    let server = recorder().await;
    server.reply(WireReply::json(
        200,
        r#"{"large":-9223372036854775808,"total":18446744073709551615}"#,
    ));
    let client = wired(Client::builder(), &server);
    let body = Measurements::new()
        .large(i64::MIN)
        .total(u64::MAX)
        .tiny(-128);
    let back = client
        .record(&body, RecordParams::new().limit(u16::MAX))
        .await
        .expect("sent");
    assert_eq!((back.large, back.total), (Some(i64::MIN), Some(u64::MAX)));

    let request = server.only_request();
    assert_eq!(request.query(), Some("limit=65535"));
    assert_eq!(
        request.body_text(),
        r#"{"tiny":-128,"large":-9223372036854775808,"total":18446744073709551615}"#
    );
}
