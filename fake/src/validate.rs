//! Request body parsing and validation for the create-link and charge operations.

use serde_json::{Map, Value};

use crate::error::{ApiError, FieldError};

/// The largest accepted `amount`, in minor units.
pub(crate) const MAX_AMOUNT: i64 = 999_999_999_999;

/// A valid `POST /payments/charge` body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChargeInput {
    pub(crate) customer_id: String,
    pub(crate) amount: i64,
    pub(crate) currency: String,
    pub(crate) description: String,
    pub(crate) metadata: Option<Map<String, Value>>,
}

/// A valid `POST /payments` body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CreateInput {
    pub(crate) amount: i64,
    pub(crate) currency: String,
    pub(crate) description: String,
    pub(crate) customer_id: Option<String>,
    pub(crate) success_url: Option<String>,
    pub(crate) metadata: Option<Map<String, Value>>,
}

/// Parses a body that must be a JSON object. Not JSON: `invalid_json`; JSON but not an object:
/// `validation_error`.
pub(crate) fn json_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            400,
            "validation_error",
            "validation_error",
            "The request body must be a JSON object.",
        )),
        Err(err) => Err(ApiError::invalid_json(format!(
            "The request body is not valid JSON: {err}."
        ))),
    }
}

/// Validates a charge body; every invalid field is reported.
pub(crate) fn charge(body: &[u8]) -> Result<ChargeInput, ApiError> {
    let obj = json_object(body)?;
    let mut errors = Vec::new();
    let customer_id = required_string(&obj, "customerId", &mut errors);
    let amount = amount(&obj, &mut errors);
    let currency = currency(&obj, &mut errors);
    let description = required_string(&obj, "description", &mut errors);
    let metadata = metadata(&obj, &mut errors);
    match (customer_id, amount, currency, description) {
        (Some(customer_id), Some(amount), Some(currency), Some(description))
            if errors.is_empty() =>
        {
            Ok(ChargeInput {
                customer_id,
                amount,
                currency,
                description,
                metadata,
            })
        }
        _ => Err(ApiError::validation(errors)),
    }
}

/// Validates a create-link body; every invalid field is reported.
pub(crate) fn create(body: &[u8]) -> Result<CreateInput, ApiError> {
    let obj = json_object(body)?;
    let mut errors = Vec::new();
    let amount = amount(&obj, &mut errors);
    let currency = currency(&obj, &mut errors);
    let description = required_string(&obj, "description", &mut errors);
    let customer_id = optional_string(&obj, "customerId", &mut errors);
    let success_url = optional_string(&obj, "successUrl", &mut errors);
    let metadata = metadata(&obj, &mut errors);
    match (amount, currency, description) {
        (Some(amount), Some(currency), Some(description)) if errors.is_empty() => Ok(CreateInput {
            amount,
            currency,
            description,
            customer_id,
            success_url,
            metadata,
        }),
        _ => Err(ApiError::validation(errors)),
    }
}

fn required_string(
    obj: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    if matches!(obj.get(field), None | Some(Value::Null)) {
        errors.push(FieldError::new(field, "is required"));
        return None;
    }
    optional_string(obj, field, errors)
}

fn optional_string(
    obj: &Map<String, Value>,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    match obj.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.push(FieldError::new(field, "must not be empty"));
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errors.push(FieldError::new(field, "must be a string"));
            None
        }
    }
}

fn amount(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<i64> {
    let field = "amount";
    let error = match obj.get(field) {
        None | Some(Value::Null) => "is required".to_string(),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(a) if a <= 0 => "must be greater than 0".to_string(),
            Some(a) if a > MAX_AMOUNT => format!("must be at most {MAX_AMOUNT}"),
            Some(a) => return Some(a),
            None if n.as_u64().is_some() => format!("must be at most {MAX_AMOUNT}"),
            None => "must be an integer (minor units)".to_string(),
        },
        Some(_) => "must be an integer (minor units)".to_string(),
    };
    errors.push(FieldError::new(field, error));
    None
}

fn currency(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    let field = "currency";
    let error = match obj.get(field) {
        None | Some(Value::Null) => "is required",
        Some(Value::String(s)) if s.len() == 3 && s.bytes().all(|b| b.is_ascii_lowercase()) => {
            return Some(s.clone());
        }
        Some(Value::String(_)) => "must be a three-letter lowercase ISO 4217 code, e.g. usd",
        Some(_) => "must be a string",
    };
    errors.push(FieldError::new(field, error));
    None
}

fn metadata(obj: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<Map<String, Value>> {
    match obj.get("metadata") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => {
            let before = errors.len();
            for (key, value) in map {
                if !value.is_string() {
                    errors.push(FieldError::new(
                        format!("metadata.{key}"),
                        "must be a string",
                    ));
                }
            }
            (errors.len() == before).then(|| map.clone())
        }
        Some(_) => {
            errors.push(FieldError::new(
                "metadata",
                "must be an object of string values",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: &ApiError) -> Vec<String> {
        err.details
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|d| d["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn charge_reports_every_bad_field_in_order() {
        let err = charge(br#"{"amount": -5, "currency": "USD", "metadata": {"a": 1}}"#)
            .expect_err("invalid");
        assert_eq!(err.code, "validation_error");
        assert_eq!(err.param.as_deref(), Some("customerId"));
        assert_eq!(
            fields(&err),
            [
                "customerId",
                "amount",
                "currency",
                "description",
                "metadata.a"
            ]
        );
    }

    #[test]
    fn amounts_must_be_positive_integers() {
        for bad in [
            "0",
            "-1",
            "1.5",
            "\"10\"",
            "true",
            "18446744073709551615",
            "1e3",
        ] {
            let body = format!(
                r#"{{"customerId":"c","amount":{bad},"currency":"usd","description":"d"}}"#
            );
            let err = charge(body.as_bytes()).expect_err(bad);
            assert_eq!(err.param.as_deref(), Some("amount"), "{bad}");
        }
        let ok = charge(br#"{"customerId":"c","amount":1,"currency":"eur","description":"d","metadata":{"k":"v"}}"#)
            .expect("valid");
        assert_eq!(ok.amount, 1);
    }

    #[test]
    fn not_json_and_not_object() {
        assert_eq!(charge(b"{").expect_err("bad").code, "invalid_json");
        assert_eq!(charge(b"").expect_err("bad").code, "invalid_json");
        assert_eq!(create(b"[1]").expect_err("bad").code, "validation_error");
    }

    #[test]
    fn create_optional_fields_are_typed() {
        let err = create(
            br#"{"amount":5,"currency":"usd","description":"d","customerId":7,"successUrl":false}"#,
        )
        .expect_err("bad");
        assert_eq!(fields(&err), ["customerId", "successUrl"]);
        let ok = create(br#"{"amount":5,"currency":"usd","description":"d","customerId":null}"#)
            .expect("valid");
        assert_eq!(ok.customer_id, None);
    }
}
