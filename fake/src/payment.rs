//! The Payment resource: its stored form, its JSON form, and the tax arithmetic.

use serde_json::{Map, Value, json};

use crate::clock::rfc3339_millis;

/// The fake's tax rate, in basis points (800 = 8%), applied on top of the amount of every
/// payment it creates.
pub const TAX_RATE_BASIS_POINTS: i64 = 800;

/// The tax the fake adds to `amount` (minor units): 8% rounded half up, computed without
/// overflow. `amountTotal` is always `amount + tax_for(amount)`.
pub fn tax_for(amount: i64) -> i64 {
    let tax = (i128::from(amount) * i128::from(TAX_RATE_BASIS_POINTS) + 5_000) / 10_000;
    i64::try_from(tax).unwrap_or(i64::MAX)
}

/// How long a payment link stays open.
pub(crate) const LINK_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;

/// A stored payment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Payment {
    pub(crate) id: String,
    pub(crate) customer_id: Option<String>,
    pub(crate) kind: &'static str,
    pub(crate) status: String,
    pub(crate) provider: String,
    pub(crate) amount_subtotal: i64,
    pub(crate) tax_amount: i64,
    pub(crate) amount_total: i64,
    pub(crate) currency: String,
    pub(crate) description: String,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) url: Option<String>,
    pub(crate) success_url: Option<String>,
    pub(crate) expires_at_ms: Option<i64>,
    pub(crate) created_at_ms: i64,
    pub(crate) updated_at_ms: i64,
}

/// What a new payment is made of.
#[derive(Debug, Clone)]
pub(crate) struct NewPayment {
    pub(crate) kind: &'static str,
    pub(crate) customer_id: Option<String>,
    pub(crate) amount: i64,
    pub(crate) currency: String,
    pub(crate) description: String,
    pub(crate) metadata: Option<Map<String, Value>>,
    pub(crate) success_url: Option<String>,
}

impl Payment {
    /// Builds a payment: a charge succeeds at once; a link is pending, has a hosted URL and
    /// expires 24 hours after creation.
    pub(crate) fn create(id: String, new: NewPayment, now_ms: i64) -> Payment {
        let tax = tax_for(new.amount);
        let is_link = new.kind == "link";
        Payment {
            url: is_link.then(|| format!("https://commet.co/pay/{id}")),
            expires_at_ms: is_link.then(|| now_ms.saturating_add(LINK_LIFETIME_MS)),
            id,
            customer_id: new.customer_id,
            kind: new.kind,
            status: if is_link { "pending" } else { "succeeded" }.to_string(),
            provider: "stripe".to_string(),
            amount_subtotal: new.amount,
            tax_amount: tax,
            amount_total: new.amount.saturating_add(tax),
            currency: new.currency,
            description: new.description,
            metadata: new.metadata,
            success_url: new.success_url,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
        }
    }

    /// The newest-first sort key: `createdAt`, then `id`.
    pub(crate) fn sort_key(&self) -> (i64, &str) {
        (self.created_at_ms, &self.id)
    }

    /// The wire form: all 17 properties of the 2026-06-10 Payment object.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "customerId": self.customer_id,
            "kind": self.kind,
            "status": self.status,
            "provider": self.provider,
            "amountSubtotal": self.amount_subtotal,
            "taxAmount": self.tax_amount,
            "amountTotal": self.amount_total,
            "currency": self.currency,
            "description": self.description,
            "metadata": self.metadata,
            "url": self.url,
            "expiresAt": self.expires_at_ms.map(rfc3339_millis),
            "createdAt": rfc3339_millis(self.created_at_ms),
            "updatedAt": rfc3339_millis(self.updated_at_ms),
            "object": "payment",
            "livemode": false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_is_eight_percent_rounded_half_up() {
        assert_eq!(tax_for(1), 0);
        assert_eq!(tax_for(6), 0); // 0.48
        assert_eq!(tax_for(7), 1); // 0.56
        assert_eq!(tax_for(1000), 80);
        assert_eq!(tax_for(1250), 100);
        assert_eq!(tax_for(1999), 160); // 159.92
        assert!(tax_for(i64::MAX) > 0);
    }

    #[test]
    fn json_has_all_seventeen_fields() {
        let new = NewPayment {
            kind: "link",
            customer_id: None,
            amount: 500,
            currency: "usd".into(),
            description: "d".into(),
            metadata: None,
            success_url: None,
        };
        let p = Payment::create("pay_x".into(), new, 0);
        let json = p.to_json();
        assert_eq!(json.as_object().map(|o| o.len()), Some(17));
        assert_eq!(json["url"], "https://commet.co/pay/pay_x");
        assert_eq!(json["expiresAt"], "1970-01-02T00:00:00.000Z");
        assert_eq!(json["amountTotal"], 540);
    }
}
