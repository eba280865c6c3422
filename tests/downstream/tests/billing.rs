//! The downstream crate's generated client works end to end against the fake Commet server.

use commet_downstream::bill_monthly;
use commet_downstream::commet::{Client, PaymentKind, PaymentStatus};
use commet_fake::FakeCommet;

#[tokio::test]
async fn bills_a_customer_through_the_trimmed_client() {
    let fake = FakeCommet::start().await.expect("fake server starts");
    fake.add_customer("cus_downstream", None, true);
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .build()
        .expect("client builds");

    let payment = bill_monthly(&client, "cus_downstream", "Team plan", 4900)
        .await
        .expect("billing succeeds");

    assert_eq!(payment.kind, PaymentKind::Charge);
    assert_eq!(payment.status, PaymentStatus::Succeeded);
    assert_eq!(payment.amount_subtotal, 4900);
    assert_eq!(payment.amount_total, 4900 + payment.tax_amount);
    assert_eq!(payment.description, "Team plan, monthly");
    assert_eq!(fake.charges().len(), 1);
}

#[test]
fn the_env_prefix_is_the_crates_own() {
    // Nothing is set under BILLING_API_KEY in the test environment.
    let err = Client::builder().build().expect_err("no key anywhere");
    assert!(err.to_string().contains("BILLING_API_KEY"), "{err}");
}

#[test]
fn the_extra_derive_reaches_the_generated_types() {
    fn assert_eq_impl<T: Eq>() {}
    assert_eq_impl::<commet_downstream::commet::Payment>();
    assert_eq_impl::<commet_downstream::commet::ChargePaymentRequest>();
}
