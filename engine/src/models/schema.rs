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

/// An object of `properties` plus `fields`.
fn object_with(mut properties: Value, fields: &Value) -> Value {
    if let (Some(target), Some(source)) = (properties.as_object_mut(), fields.as_object()) {
        target.extend(source.clone());
    }
    object(&properties)
}

fn fs_op(op: &str, fields: &Value) -> Value {
    object_with(json!({"op": {"type": "string", "enum": [op]}}), fields)
}

fn step(kind: &str, body: (&str, Value)) -> Value {
    object(&json!({
        "kind": {"type": "string", "enum": [kind]},
        body.0: body.1,
        "description": {"type": "string", "description": "What this step does, for people."},
        "safety_level": {"type": "string", "enum": ["safe", "moderate", "destructive"]},
    }))
}

/// One AWS operation: a step of kind `aws`, flat, with its parameters.
fn aws_op(service: &str, operation: &str, fields: &Value) -> Value {
    let base = json!({
        "kind": {"type": "string", "enum": ["aws"]},
        "service": {"type": "string", "enum": [service]},
        "operation": {"type": "string", "enum": [operation]},
        "region": {"type": ["string", "null"], "description": "null: the user's configured region."},
        "description": {"type": "string", "description": "What this step does, for people."},
        "safety_level": {"type": "string", "enum": ["safe", "moderate", "destructive"]},
    });
    object_with(base, fields)
}

/// Every AWS operation an `aws` step can name.
fn aws_steps() -> Vec<Value> {
    let text = json!({"type": "string"});
    let maybe = json!({"type": ["string", "null"]});
    let count = json!({"type": "integer", "minimum": 1});
    let ids = json!({"ids": string_list()});
    let object_ref = json!({"bucket": text, "key": text});
    vec![
        aws_op("s3", "list_buckets", &json!({})),
        aws_op(
            "s3",
            "list_objects",
            &json!({"bucket": text, "prefix": text}),
        ),
        aws_op("s3", "head_object", &object_ref),
        aws_op(
            "s3",
            "download",
            &json!({"bucket": text, "key": maybe, "prefix": maybe, "to": text}),
        ),
        aws_op(
            "s3",
            "upload",
            &json!({"path": text, "bucket": text, "key": maybe}),
        ),
        aws_op(
            "s3",
            "copy",
            &json!({"bucket": text, "key": text, "to_bucket": text, "to_key": text}),
        ),
        aws_op(
            "s3",
            "presign",
            &json!({"bucket": text, "key": text, "expires_secs": count}),
        ),
        aws_op(
            "s3",
            "delete_objects",
            &json!({"bucket": text, "keys": string_list(), "prefix": maybe, "pattern": maybe}),
        ),
        aws_op(
            "s3",
            "delete_bucket",
            &json!({"bucket": text, "empty": {"type": "boolean"}}),
        ),
        aws_op("sts", "get_caller_identity", &json!({})),
        aws_op(
            "ec2",
            "describe_instances",
            &json!({"ids": string_list(), "states": string_list(), "name": maybe}),
        ),
        aws_op("ec2", "start_instances", &ids),
        aws_op("ec2", "stop_instances", &ids),
        aws_op("ec2", "reboot_instances", &ids),
        aws_op("ec2", "terminate_instances", &ids),
        aws_op("lambda", "list_functions", &json!({})),
        aws_op(
            "lambda",
            "invoke",
            &json!({"function": text, "payload": maybe}),
        ),
        aws_op(
            "lambda",
            "recent_errors",
            &json!({"function": text, "minutes": count, "limit": count}),
        ),
        aws_op(
            "logs",
            "filter_events",
            &json!({"log_group": text, "pattern": maybe, "minutes": count, "limit": count}),
        ),
    ]
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
        fs_op("organize", &json!({"dir": path})),
        fs_op("trash", &json!({"paths": string_list(), "recursive": {"type": "boolean"}})),
    ]});
    let command = json!({"type": "string"});
    let mut kinds = vec![
        step("fs", ("action", fs_action)),
        step("bash", ("command", command.clone())),
        step("python", ("command", command)),
    ];
    kinds.extend(aws_steps());
    let mut plan = object(&json!({
        "interpretation": {"type": "string", "description": "One sentence: what the request means."},
        "steps": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_STEPS,
            "items": {"anyOf": kinds},
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

    #[test]
    fn every_aws_operation_in_the_schema_is_one_the_engine_reads() {
        for op in aws_steps() {
            let mut sample = serde_json::Map::new();
            for (name, spec) in op["properties"].as_object().unwrap() {
                let value = match (name.as_str(), &spec["type"]) {
                    (_, _) if spec.get("enum").is_some() => spec["enum"][0].clone(),
                    (_, Value::String(t)) if t == "array" => json!(["x"]),
                    (_, Value::String(t)) if t == "integer" => json!(5),
                    (_, Value::String(t)) if t == "boolean" => json!(true),
                    ("payload", _) => json!("{}"),
                    _ => json!("x"),
                };
                sample.insert(name.clone(), value);
            }
            let step: Result<crate::plan::Step, _> =
                serde_json::from_value(Value::Object(sample.clone()));
            assert!(step.is_ok(), "{sample:?}: {step:?}");
        }
    }
}
