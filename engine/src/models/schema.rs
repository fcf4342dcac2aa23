//! The JSON schema of [`crate::plan::Plan`] as sent to models. It is written
//! to be accepted by OpenAI's strict structured outputs (every property
//! required, no additional properties, `anyOf` rather than `oneOf`) and as a
//! Bedrock tool input schema. [`super::validate`] checks replies against it.

use serde_json::{Value, json};

/// Name of the tool (Bedrock) and response format (OpenAI) carrying the plan.
pub const PLAN_TOOL_NAME: &str = "submit_plan";

/// Most steps a model plan may have.
pub const MAX_STEPS: usize = 20;

fn object(properties: &Value) -> Value {
    let required: Vec<&String> = properties
        .as_object()
        .map(|p| p.keys().collect())
        .unwrap_or_default();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn string_list() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

fn fs_op(op: &str, fields: &Value) -> Value {
    let mut properties = json!({"op": {"type": "string", "enum": [op]}});
    if let (Some(target), Some(source)) = (properties.as_object_mut(), fields.as_object()) {
        target.extend(source.clone());
    }
    object(&properties)
}

fn step(kind: &str, body: (&str, Value)) -> Value {
    object(&json!({
        "kind": {"type": "string", "enum": [kind]},
        body.0: body.1,
        "description": {"type": "string", "description": "What this step does, for people."},
        "safety_level": {"type": "string", "enum": ["safe", "moderate", "destructive"]},
    }))
}

/// The plan schema.
pub fn plan_schema() -> Value {
    let path = json!({"type": "string"});
    let fs_action = json!({"anyOf": [
        fs_op("mkdir", &json!({"path": path})),
        fs_op("move", &json!({"from": string_list(), "to_dir": path})),
        fs_op("rename", &json!({"from": path, "to": path})),
        fs_op("copy", &json!({"from": string_list(), "to_dir": path})),
        fs_op("write", &json!({"path": path, "content": {"type": "string"}})),
        fs_op("trash", &json!({"paths": string_list(), "recursive": {"type": "boolean"}})),
    ]});
    let command = json!({"type": "string"});
    let mut plan = object(&json!({
        "interpretation": {"type": "string", "description": "One sentence: what the request means."},
        "steps": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_STEPS,
            "items": {"anyOf": [
                step("fs", ("action", fs_action)),
                step("bash", ("command", command.clone())),
                step("python", ("command", command)),
            ]},
        },
        "explanation": {"type": "string", "description": "Why these steps do what was asked."},
        "risks": string_list(),
    }));
    if let Some(map) = plan.as_object_mut() {
        map.insert("title".into(), json!("Plan"));
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_object_requires_all_its_properties() {
        fn check(value: &Value, at: &str) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::Object(props)) = map.get("properties") {
                        let required = map["required"].as_array().unwrap();
                        assert_eq!(required.len(), props.len(), "{at}");
                        assert_eq!(map["additionalProperties"], json!(false), "{at}");
                    }
                    for (key, child) in map {
                        check(child, &format!("{at}.{key}"));
                    }
                }
                Value::Array(items) => items.iter().for_each(|v| check(v, at)),
                _ => {}
            }
        }
        check(&plan_schema(), "$");
    }
}
