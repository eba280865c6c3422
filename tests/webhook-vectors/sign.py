#!/usr/bin/env python3
"""Writes signed.json beside this file: webhook bodies and their signatures, computed with
Python's hmac, independently of the Rust code under test (tests/webhooks.rs reads them).

For every payment and payment-link event of the table in tests/vendored/commet-api.md
("Payment event fields, as Commet's official Go SDK types them"): one body with every field
set ("set"), and one with every nullable field null and every optional field left out
("null"), for events that have such fields. Then bodies that must not decode ("invalid",
with the path the error must name) and one event type no client knows ("unknown").

Run it again after changing the data below: python3 tests/webhook-vectors/sign.py
"""

import hashlib
import hmac
import json
import pathlib

SECRET = b"whsec_fake_endpoint_secret"

LINK = {"paymentId": "pay_1", "amount": 2500, "currency": "usd", "description": "Pro plan"}

# event -> (fields always set, nullable fields with their value when set, optional fields)
EVENTS = {
    "payment_link.created": ({**LINK, "status": "pending"}, {"customerId": "user-1"}, {}),
    "payment_link.completed": (
        {**LINK, "status": "succeeded", "invoiceId": "inv_1", "invoiceNumber": "INV-0001"},
        {"customerId": "user-1", "paymentTransactionId": "txn_1"},
        {},
    ),
    "payment_link.failed": (
        {
            **LINK,
            "status": "failed",
            "failureCode": "card_declined",
            "failureMessage": "The card was declined.",
        },
        {"customerId": "user-1"},
        {},
    ),
    "payment_link.canceled": ({**LINK, "status": "canceled"}, {"customerId": "user-1"}, {}),
    "payment.received": (
        {
            "invoiceId": "inv_1",
            "invoiceNumber": "INV-0001",
            "invoiceTotal": 2700,
            "customerId": "user-1",
        },
        {
            "subscriptionId": "sub_1",
            "paymentTransactionId": "txn_1",
            # A provider later API versions add: kept as an unknown value, never an error.
            "provider": "dlocal",
            "grossAmount": 2700,
            "currency": "brl",
            "orgNetAmount": 2590,
            "customerEmail": "ada@example.com",
        },
        {"paidAt": "2026-06-10T12:00:00.000Z"},
    ),
    "payment.failed": (
        {
            "invoiceId": "inv_1",
            "invoiceNumber": "INV-0001",
            "customerId": "user-1",
            "provider": "stripe",
            "failureCode": "card_declined",
            "failureMessage": "The card was declined.",
        },
        {"subscriptionId": "sub_1", "recoveryUrl": "https://commet.co/recover/inv_1"},
        {},
    ),
    "payment.recovered": (
        {
            "invoiceId": "inv_1",
            "invoiceNumber": "INV-0001",
            "invoiceTotal": 2700,
            "customerId": "user-1",
        },
        {"subscriptionId": "sub_1", "provider": "commet"},
        {},
    ),
    "payment.retry_failed": (
        {
            "invoiceId": "inv_1",
            "invoiceNumber": "INV-0001",
            "customerId": "user-1",
            "subscriptionId": "sub_1",
            "provider": "stripe",
            "reason": "card_declined",
        },
        {},
        {},
    ),
    "payment.refunded": (
        {"paymentTransactionId": "txn_1", "provider": "stripe", "refundAmount": 1200, "currency": "usd"},
        {
            "paymentLinkId": "pay_1",
            "invoiceId": "inv_1",
            "invoiceNumber": "INV-0001",
            "customerId": "user-1",
            "subscriptionId": "sub_1",
        },
        {},
    ),
}
DISPUTE_NULLABLE = {
    "paymentLinkId": "pay_1",
    "invoiceId": "inv_1",
    "invoiceNumber": "INV-0001",
    "customerId": "user-1",
    "subscriptionId": "sub_1",
    "disputeReason": "fraudulent",
}
DISPUTE = {"paymentTransactionId": "txn_1", "provider": "stripe", "disputeAmount": 2500, "currency": "usd"}
EVENTS["payment.disputed"] = (DISPUTE, DISPUTE_NULLABLE, {})
EVENTS["payment.dispute_resolved"] = ({**DISPUTE, "outcome": "lost"}, DISPUTE_NULLABLE, {})


def envelope(event, data):
    return {
        "event": event,
        "timestamp": "2026-06-10T12:00:00.000Z",
        "organizationId": "org_1",
        "mode": "live",
        "apiVersion": "2026-06-10",
        "data": data,
    }


def signed(kind, event, body, **extra):
    text = json.dumps(body, separators=(",", ":"))
    signature = hmac.new(SECRET, text.encode(), hashlib.sha256).hexdigest()
    return {"kind": kind, "event": event, "body": text, "signature": signature, **extra}


vectors = []
for event, (always, nullable, optional) in EVENTS.items():
    vectors.append(signed("set", event, envelope(event, {**always, **nullable, **optional})))
    if nullable or optional:
        nulls = {name: None for name in nullable}
        vectors.append(signed("null", event, envelope(event, {**always, **nulls})))

received = {**EVENTS["payment.received"][0], **EVENTS["payment.received"][1]}
vectors.append(
    signed(
        "invalid",
        "payment.received",
        envelope("payment.received", {**received, "currency": 986}),
        path="data.currency",
    )
)
completed = {**EVENTS["payment_link.completed"][0], **EVENTS["payment_link.completed"][1]}
vectors.append(
    signed(
        "invalid",
        "payment_link.completed",
        envelope("payment_link.completed", {**completed, "amount": "2500"}),
        path="data.amount",
    )
)
vectors.append(
    signed(
        "unknown",
        "subscription.renewed",
        envelope("subscription.renewed", {"subscriptionId": "sub_1"}),
    )
)

out = pathlib.Path(__file__).with_name("signed.json")
out.write_text(json.dumps(vectors, indent=2) + "\n")
print(f"wrote {len(vectors)} vectors to {out}")
