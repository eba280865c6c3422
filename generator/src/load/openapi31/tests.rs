use super::*;
use serde_json::json;

fn schema(s: Value) -> Value {
    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": {"S": s}}
    });
    let diags = downgrade(&mut doc);
    assert!(diags.is_empty(), "{diags:?}");
    doc["components"]["schemas"]["S"].clone()
}

#[test]
fn type_lists() {
    assert_eq!(
        schema(json!({"type": ["string", "null"], "format": "date"})),
        json!({"type": "string", "format": "date", "nullable": true})
    );
    assert_eq!(
        schema(json!({"type": "null"})),
        json!({"nullable": true, "enum": [null]})
    );
    assert_eq!(
        schema(json!({"type": ["integer", "string"], "enum": [1, "a"], "description": "d"})),
        json!({"description": "d", "anyOf": [
            {"type": "integer", "enum": [1]},
            {"type": "string", "enum": ["a"]}
        ]})
    );
}

#[test]
fn keywords_that_changed() {
    assert_eq!(
        schema(json!({"const": "x", "examples": ["x"]})),
        json!({"type": "string", "enum": ["x"], "example": "x"})
    );
    // The value's own type, unless the schema states one.
    assert_eq!(schema(json!({"const": 2}))["type"], "integer");
    assert_eq!(schema(json!({"const": 0.5}))["type"], "number");
    assert_eq!(schema(json!({"const": true}))["type"], "boolean");
    assert_eq!(
        schema(json!({"type": "string", "const": "7"})),
        json!({"type": "string", "enum": ["7"]})
    );
    assert!(schema(json!({"const": null})).get("type").is_none());
    assert_eq!(
        schema(json!({"type": "integer", "exclusiveMinimum": 0})),
        json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0})
    );
    assert_eq!(
        schema(json!({"type": "string", "contentEncoding": "base64"}))["format"],
        "byte"
    );
    assert_eq!(
        schema(json!({"type": "string", "contentMediaType": "image/png"}))["format"],
        "binary"
    );
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/T", "description": "d", "summary": "s"})),
        json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/T"}]})
    );
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/T", "summary": "s"})),
        json!({"$ref": "#/components/schemas/T"})
    );
}

#[test]
fn subschemas_and_booleans() {
    assert_eq!(
        schema(json!({"type": "object", "properties": {
            "a": {"type": ["boolean", "null"]},
            "gone": false,
            "any": true
        }})),
        json!({"type": "object", "properties": {
            "a": {"type": "boolean", "nullable": true},
            "any": {}
        }})
    );
}

#[test]
fn recursion_by_anchor_is_a_ref_to_the_component() {
    let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {
        "Filter": {"$recursiveAnchor": true, "type": "object", "properties": {
            "filters": {"type": "array", "items": {"oneOf": [
                {"$ref": "#/components/schemas/Leaf"}, {"$recursiveRef": "#"}]}}}},
        "Tree": {"$dynamicAnchor": "node", "type": "object", "properties": {
            "children": {"type": "array", "items": {"$dynamicRef": "#node"}}}},
    }}});
    assert!(downgrade(&mut doc).is_empty());
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Filter"]["properties"]["filters"]["items"]["oneOf"][1],
        json!({"$ref": "#/components/schemas/Filter"})
    );
    assert!(schemas["Filter"].get("$recursiveAnchor").is_none());
    assert_eq!(
        schemas["Tree"]["properties"]["children"]["items"],
        json!({"$ref": "#/components/schemas/Tree"})
    );
}

#[test]
fn tuples() {
    let t = schema(json!({
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer"}],
        "items": false,
        "minItems": 2
    }));
    assert_eq!(t[TUPLE_EXTENSION], true);
    assert_eq!(
        t["items"],
        json!({"anyOf": [{"type": "string"}, {"type": "integer"}]})
    );
    let open = schema(json!({"type": "array", "prefixItems": [{"type": "string"}]}));
    assert_eq!(open["items"], json!({}));
    assert!(open.get(TUPLE_EXTENSION).is_none());
    let empty = schema(json!({"type": "array", "items": false}));
    assert_eq!(empty["maxItems"], 0);
}

#[test]
fn examples_and_names_are_not_rewritten() {
    let mut doc = json!({
        "openapi": "3.1.1",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {
            "description": "ok",
            "content": {"application/json": {
                "schema": {"type": ["string", "null"]},
                "example": {"type": ["string", "null"]}
            }}
        }}}}},
        "components": {
            "parameters": {"schema": {"name": "q", "in": "query", "schema": {"const": 1}}},
            "pathItems": {"P": {"get": {"responses": {}}}}
        },
        "webhooks": {"w": {"$ref": "#/components/pathItems/P"}}
    });
    downgrade(&mut doc);
    let media = &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"];
    assert_eq!(media["schema"], json!({"type": "string", "nullable": true}));
    assert_eq!(media["example"], json!({"type": ["string", "null"]}));
    assert_eq!(
        doc["components"]["parameters"]["schema"]["schema"],
        json!({"type": "integer", "enum": [1]})
    );
    // Moved to 3.0's spelling, with its path item inlined.
    assert_eq!(doc["x-webhooks"]["w"], json!({"get": {"responses": {}}}));
    assert_eq!(doc["openapi"], "3.0.3");
}
