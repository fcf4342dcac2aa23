use pretty_assertions::assert_eq;
use serde_json::json;

use super::*;
use crate::models::config::ModelsOverrides;

#[test]
fn complexity_is_judged_with_a_reason() {
    let cases = [
        (
            "show disk usage of my videos folder",
            Tier::Small,
            "small: one short request (7 words)",
        ),
        (
            "resize the photos then upload them",
            Tier::Medium,
            "medium: 2 parts in sequence",
        ),
        (
            "write a python script that sums the csv columns",
            Tier::Medium,
            "medium: mentions code ('script', 'csv', 'python')",
        ),
        (
            "refactor the parser module",
            Tier::Large,
            "large: asks for 'refactor'",
        ),
        (
            "fetch it; then unpack it; then build it",
            Tier::Medium,
            "medium: 3 parts in sequence; mentions code ('build')",
        ),
        (
            "download it, then unpack it, then build it and finally run the tests",
            Tier::Large,
            "large: 4 parts in sequence; mentions code ('build', 'tests')",
        ),
    ];
    for (request, tier, reason) in cases {
        let judged = judge_complexity(request);
        assert_eq!(
            (judged.tier, judged.reason.as_str()),
            (tier, reason),
            "{request}"
        );
    }
}

fn bedrock_models() -> ModelsConfig {
    let overrides = ModelsOverrides {
        providers: Some("bedrock".into()),
        ..ModelsOverrides::default()
    };
    ModelsConfig::load_default(&overrides).unwrap()
}

fn prompt() -> Prompt {
    build_prompt(&PromptInput {
        request: "count lines of code by language",
        context: &json!({"cwd": "/p"}),
        preferences: &[],
    })
}

#[test]
fn picks_the_cheapest_model_whose_tier_fits_and_escalates_one_tier() {
    let config = bedrock_models();
    let models = config.routable();
    let list = candidates(&models, &prompt());
    let ids: Vec<&str> = list.iter().map(|c| c.model.id.as_str()).collect();
    assert_eq!(ids, ["nova-micro", "claude-3-5-haiku", "claude-sonnet-4-5"]);
    let pick = |tier| choose(&list, tier).unwrap().model.id.as_str();
    assert_eq!(
        (pick(Tier::Small), pick(Tier::Medium), pick(Tier::Large)),
        ("nova-micro", "claude-3-5-haiku", "claude-sonnet-4-5")
    );
    let small = choose(&list, Tier::Small).unwrap().model;
    assert_eq!(escalate(&list, small).unwrap().model.id, "claude-3-5-haiku");
    let large = choose(&list, Tier::Large).unwrap().model;
    assert_eq!(escalate(&list, large), None);
}

#[test]
fn falls_back_to_the_most_capable_model_available() {
    let mut config = bedrock_models();
    config.routing = vec![(
        ProviderKind::Bedrock,
        vec!["nova-micro".into(), "nova-lite".into()],
    )];
    let models = config.routable();
    let list = candidates(&models, &prompt());
    assert_eq!(choose(&list, Tier::Large).unwrap().model.id, "nova-micro");
}

#[test]
fn models_without_room_for_the_prompt_are_not_candidates() {
    let mut config = bedrock_models();
    config.routing = vec![(ProviderKind::Bedrock, vec!["titan-text-lite".into()])];
    let models = config.routable();
    let mut long = prompt();
    long.user = "x".repeat(20_000);
    assert_eq!(candidates(&models, &long), vec![]);
}
