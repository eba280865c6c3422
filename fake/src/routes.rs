//! Route matching and the five payment operations, run against the locked store.

use serde_json::{Value, json};

use crate::error::ApiError;
use crate::payment::{NewPayment, Payment};
use crate::reply::Reply;
use crate::state::Store;
use crate::validate;
use crate::webhooks;

/// Where the routes live, relative to the server root.
pub(crate) const API_PREFIX: &str = "/api/v1";

/// `limit` when the query has none.
pub(crate) const DEFAULT_LIMIT: usize = 25;
/// The largest page.
pub(crate) const MAX_LIMIT: usize = 100;

/// A matched route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    CreateLink,
    Charge,
    Get(String),
    List,
    Cancel(String),
    MethodNotAllowed,
    NotFound,
}

impl Route {
    /// Whether the route honours `Idempotency-Key` (the three POSTs).
    pub(crate) fn is_idempotent_post(&self) -> bool {
        matches!(self, Route::CreateLink | Route::Charge | Route::Cancel(_))
    }
}

/// Matches a method and full path (empty segments, e.g. a trailing slash, are ignored).
pub(crate) fn route(method: &str, full_path: &str) -> Route {
    let Some(rel) = full_path.strip_prefix(API_PREFIX) else {
        return Route::NotFound;
    };
    if !(rel.is_empty() || rel.starts_with('/')) {
        return Route::NotFound;
    }
    let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    let (get, post) = (method == "GET", method == "POST");
    match segments.as_slice() {
        ["payments"] if get => Route::List,
        ["payments"] if post => Route::CreateLink,
        ["payments", "charge"] if post => Route::Charge,
        ["payments", id] if get => Route::Get((*id).to_string()),
        ["payments", id, "cancel"] if post => Route::Cancel((*id).to_string()),
        ["payments"] | ["payments", _] | ["payments", _, "cancel"] => Route::MethodNotAllowed,
        _ => Route::NotFound,
    }
}

/// Runs a matched route.
pub(crate) fn handle(
    store: &mut Store,
    route: &Route,
    method: &str,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Reply {
    let result = match route {
        Route::CreateLink => create_link(store, body),
        Route::Charge => charge(store, body),
        Route::Get(id) => get(store, id),
        Route::List => list(store, query.unwrap_or("")),
        Route::Cancel(id) => cancel(store, id),
        Route::MethodNotAllowed => Err(ApiError::method_not_allowed(method, path)),
        Route::NotFound => Err(ApiError::route_not_found(method, path)),
    };
    result.unwrap_or_else(Reply::from)
}

fn create_link(store: &mut Store, body: &[u8]) -> Result<Reply, ApiError> {
    let input = validate::create(body)?;
    let customer_id = match &input.customer_id {
        None => None,
        Some(given) => Some(
            store
                .customer(given)
                .ok_or_else(|| ApiError::customer_not_found(given))?
                .id
                .clone(),
        ),
    };
    let payment = store.insert_payment(NewPayment {
        kind: "link",
        customer_id,
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        metadata: input.metadata,
        success_url: input.success_url,
    });
    let (json, payment) = (payment.to_json(), payment.clone());
    let event = webhooks::link_event(store, "payment_link.created", &payment, json!({}));
    store.outbox.push(event);
    Ok(Reply::data(200, json))
}

fn charge(store: &mut Store, body: &[u8]) -> Result<Reply, ApiError> {
    let input = validate::charge(body)?;
    let customer = store
        .customer(&input.customer_id)
        .ok_or_else(|| ApiError::customer_not_found(&input.customer_id))?;
    if !customer.has_payment_method {
        return Err(ApiError::no_payment_method(&input.customer_id));
    }
    let customer_id = customer.id.clone();
    let payment = store.insert_payment(NewPayment {
        kind: "charge",
        customer_id: Some(customer_id),
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        metadata: input.metadata,
        success_url: None,
    });
    Ok(Reply::data(200, payment.to_json()))
}

fn get(store: &Store, id: &str) -> Result<Reply, ApiError> {
    let payment = store
        .payment(id)
        .ok_or_else(|| ApiError::payment_not_found(id))?;
    Ok(Reply::data(200, payment.to_json()))
}

fn cancel(store: &mut Store, id: &str) -> Result<Reply, ApiError> {
    let now = store.clock.tick();
    let payment = store
        .payment_mut(id)
        .ok_or_else(|| ApiError::payment_not_found(id))?;
    if payment.kind != "link" {
        return Err(ApiError::not_cancelable(id, payment.kind, &payment.status));
    }
    match payment.status.as_str() {
        "canceled" => {}
        // Not paid and not processing: the link can still be closed.
        "pending" | "failed" | "requires_action" => {
            payment.status = "canceled".to_string();
            payment.updated_at_ms = now;
            let payment = payment.clone();
            let event = webhooks::link_event(store, "payment_link.canceled", &payment, json!({}));
            store.outbox.push(event);
            return Ok(Reply::data(200, payment.to_json()));
        }
        other => return Err(ApiError::not_cancelable(id, payment.kind, other)),
    }
    Ok(Reply::data(200, payment.to_json()))
}

/// The parsed query of `GET /payments`.
#[derive(Debug, Default, PartialEq, Eq)]
struct ListQuery {
    customer_id: Option<String>,
    cursor: Option<String>,
    limit: usize,
}

fn parse_list_query(query: &str) -> Result<ListQuery, ApiError> {
    let mut parsed = ListQuery {
        limit: DEFAULT_LIMIT,
        ..ListQuery::default()
    };
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match key.as_ref() {
            "customerId" if !value.is_empty() => parsed.customer_id = Some(value.into_owned()),
            "cursor" if !value.is_empty() => parsed.cursor = Some(value.into_owned()),
            "limit" => parsed.limit = parse_limit(&value)?,
            _ => {}
        }
    }
    Ok(parsed)
}

/// An integer clamped to 1..=MAX_LIMIT (any size, any sign); anything else is an error.
fn parse_limit(value: &str) -> Result<usize, ApiError> {
    let trimmed = value.trim();
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::bad_param("limit", "must be an integer"));
    }
    if negative {
        return Ok(1);
    }
    let limit = digits.parse::<u64>().unwrap_or(u64::MAX);
    Ok(usize::try_from(limit)
        .unwrap_or(MAX_LIMIT)
        .clamp(1, MAX_LIMIT))
}

fn list(store: &Store, query: &str) -> Result<Reply, ApiError> {
    let query = parse_list_query(query)?;
    let customer = query.customer_id.as_deref().map(|given| {
        store
            .customer(given)
            .map_or_else(|| given.to_string(), |c| c.id.clone())
    });
    let after = match &query.cursor {
        None => None,
        Some(cursor) => Some(
            store
                .payment(cursor)
                .ok_or_else(|| ApiError::bad_param("cursor", "is not a cursor of this list"))?
                .sort_key(),
        ),
    };
    let mut matching: Vec<&Payment> = store
        .payments()
        .iter()
        .filter(|p| customer.is_none() || p.customer_id == customer)
        .filter(|p| after.is_none_or(|key| p.sort_key() < key))
        .collect();
    matching.sort_by(|a, b| b.sort_key().cmp(&a.sort_key()));
    let has_more = matching.len() > query.limit;
    matching.truncate(query.limit);
    let next_cursor = if has_more {
        matching.last().map(|p| p.id.clone())
    } else {
        None
    };
    let data: Vec<Value> = matching.iter().map(|p| p.to_json()).collect();
    Ok(Reply::new(
        200,
        json!({"success": true, "data": data, "hasMore": has_more, "nextCursor": next_cursor}),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match() {
        assert_eq!(route("GET", "/api/v1/payments"), Route::List);
        assert_eq!(route("GET", "/api/v1/payments/"), Route::List);
        assert_eq!(route("POST", "/api/v1/payments"), Route::CreateLink);
        assert_eq!(route("POST", "/api/v1/payments/charge"), Route::Charge);
        assert_eq!(
            route("GET", "/api/v1/payments/pay_1"),
            Route::Get("pay_1".into())
        );
        assert_eq!(
            route("POST", "/api/v1/payments/pay_1/cancel"),
            Route::Cancel("pay_1".into())
        );
        assert_eq!(
            route("DELETE", "/api/v1/payments/pay_1"),
            Route::MethodNotAllowed
        );
        assert_eq!(
            route("POST", "/api/v1/payments/pay_1"),
            Route::MethodNotAllowed
        );
        assert_eq!(
            route("GET", "/api/v1/payments/pay_1/cancel"),
            Route::MethodNotAllowed
        );
        assert_eq!(route("PUT", "/api/v1/payments"), Route::MethodNotAllowed);
        assert_eq!(route("GET", "/api/v1/paymentsx"), Route::NotFound);
        assert_eq!(route("GET", "/api/v1payments"), Route::NotFound);
        assert_eq!(route("GET", "/"), Route::NotFound);
        assert_eq!(route("GET", "/api/v1/payments/a/b/c"), Route::NotFound);
    }

    #[test]
    fn limits_clamp_and_reject_non_numbers() {
        let limit = |s: &str| parse_limit(s).map_err(|e| e.param);
        assert_eq!(limit("25"), Ok(25));
        assert_eq!(limit("0"), Ok(1));
        assert_eq!(limit("-7"), Ok(1));
        assert_eq!(limit("101"), Ok(100));
        assert_eq!(limit("99999999999999999999999999"), Ok(100));
        assert_eq!(limit("abc"), Err(Some("limit".to_string())));
        assert_eq!(limit(""), Err(Some("limit".to_string())));
        assert_eq!(limit("1.5"), Err(Some("limit".to_string())));
    }
}
