// Unions keep an alternative the API added later in a hidden variant (read through
// `unknown()`), so a match needs a wildcard arm, as it does for enums.
#[allow(dead_code, unused_imports)]
mod api {
    include!("unions/one_of_discriminator.rs");
}

use api::PaymentMethod;

fn describe(method: &PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Card(_) => "card",
        PaymentMethod::BankAccount(_) => "bank account",
        PaymentMethod::Wallet(_) => "wallet",
    }
}

fn main() {
    let _ = describe;
}
