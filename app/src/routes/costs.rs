//! Costs: model spending by day and by model, against the budgets.

use leptos::prelude::*;

use crate::api::overview::costs_overview;

/// One table of usage rows.
#[component]
fn UsageTable(
    title: &'static str,
    first: &'static str,
    rows: Vec<(String, i64, i64, i64, f64)>,
) -> impl IntoView {
    view! {
        <h2 class="costs__heading">{title}</h2>
        {if rows.is_empty() {
            view! { <p class="muted">"No model calls yet: the built-in planner is free."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <thead><tr><th>{first}</th><th>"Calls"</th><th>"Input tokens"</th><th>"Output tokens"</th><th>"Cost"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(key, calls, input, output, cost)| view! {
                            <tr><td>{key}</td><td>{calls}</td><td>{input}</td><td>{output}</td><td>{format!("${cost:.6}")}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// The Costs page.
#[component]
pub fn CostsPage() -> impl IntoView {
    let overview = Resource::new(|| (), |()| costs_overview());
    view! {
        <section class="page">
            <h1 class="page__title">"Costs"</h1>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(c) => view! {
                            <p data-testid="spend">{format!(
                                "Today ${:.4} of ${:.2} · this month ${:.4} of ${:.2} · at most ${:.4} per job",
                                c.today, c.budgets.1, c.month, c.budgets.2, c.budgets.0)}</p>
                            <UsageTable title="Last 30 days" first="Day" rows=c.by_day/>
                            <UsageTable title="This month by model" first="Model" rows=c.by_model/>
                        }.into_any(),
                        Err(error) => view! { <p class="form__error" role="alert">{error.to_string()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
