//! Costs: spend against each budget as bars, spend per day as a
//! server-rendered SVG chart (readable without JavaScript; hovering a day
//! names its value once hydrated), spend by model and by provider, the
//! costliest jobs, what the built-in planner saved, the usage ledger as
//! CSV, and the person's budgets, editable here.

use leptos::prelude::*;

use crate::api::overview::{SaveBudgets, costs_overview};
use crate::components::error_view::PageErrors;
use crate::components::form::{ErrorLine, action_error};
use crate::dto::{BudgetBarView, BudgetsView, CostsView, DaySpendView, SpendRowView};
use crate::error::AppError;

/// The Costs page.
#[component]
pub fn CostsPage() -> impl IntoView {
    let save = ServerAction::<SaveBudgets>::new();
    let overview = Resource::new(move || save.version().get(), |_| costs_overview());
    view! {
        <section class="page costs">
            <h1 class="page__title">"Costs"</h1>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                <PageErrors>
                    {move || Suspend::new(async move {
                        let costs = overview.await?;
                        Ok::<_, AppError>(view! { <Overview costs=costs save=save/> })
                    })}
                </PageErrors>
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
fn Overview(costs: CostsView, save: ServerAction<SaveBudgets>) -> impl IntoView {
    view! {
        <div class="budget-bars">
            {costs.bars.into_iter().map(|bar| view! { <BudgetBar bar=bar/> }).collect_view()}
        </div>
        <p class="muted" data-testid="spend-all-time">{format!("All time: {}", costs.all_time)}</p>
        <h2 class="costs__heading">"Last 30 days"</h2>
        <DayChart days=costs.days/>
        <h2 class="costs__heading">"What the built-in planner saved"</h2>
        <p data-testid="savings">
            {format!(
                "{} requests planned without a model ({} this month): about {} saved ({} this month), {}.",
                costs.savings.jobs,
                costs.savings.jobs_this_month,
                costs.savings.saved,
                costs.savings.saved_this_month,
                costs.savings.basis
            )}
        </p>
        <h2 class="costs__heading">"This month by model"</h2>
        <SpendTable first="Model" rows=costs.by_model/>
        <h2 class="costs__heading">"This month by provider"</h2>
        <SpendTable first="Provider" rows=costs.by_provider/>
        <h2 class="costs__heading">"Costliest jobs"</h2>
        {if costs.costliest.is_empty() {
            view! { <p class="muted">"No job has cost anything yet."</p> }.into_any()
        } else {
            view! {
                <ol class="costs__jobs" data-testid="costliest">
                    {costs.costliest.into_iter().map(|job| view! {
                        <li>
                            <a href=format!("/jobs/{}", job.id)>{job.request}</a>
                            <span class="muted">{format!(" · #{} · {}", job.id, job.cost)}</span>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <p><a class="button button--ghost" href="/api/v1/usage/export" download="devos-usage.csv">"Download the usage ledger (CSV)"</a></p>
        <h2 class="costs__heading">"Budgets"</h2>
        <BudgetForm budgets=costs.budgets save=save/>
    }
}

#[component]
fn BudgetBar(bar: BudgetBarView) -> impl IntoView {
    let full = bar.percent >= 100;
    view! {
        <div class="budget-bar" data-testid="budget-bar">
            <div class="budget-bar__text">
                <span>{bar.label.clone()}</span>
                <span class="muted">{format!("{} of {}", bar.spent, bar.limit)}</span>
            </div>
            // An SVG, not a styled div: the page's CSP allows no inline styles.
            <svg class="budget-bar__track" viewBox="0 0 100 6" preserveAspectRatio="none" role="meter"
                aria-label=bar.label aria-valuemin="0" aria-valuemax="100" aria-valuenow=bar.percent>
                <rect class="budget-bar__empty" x="0" y="0" width="100" height="6"></rect>
                <rect class=if full { "budget-bar__fill budget-bar__fill--full" } else { "budget-bar__fill" }
                    x="0" y="0" width=bar.percent height="6"></rect>
            </svg>
        </div>
    }
}

/// Chart geometry, in SVG user units.
const CHART_WIDTH: i64 = 600;
const CHART_HEIGHT: i64 = 160;
const LABEL_ROOM: i64 = 18;

#[component]
fn DayChart(days: Vec<DaySpendView>) -> impl IntoView {
    let hovered = RwSignal::new(None::<String>);
    let highest = days.iter().map(|d| d.micros).max().unwrap_or(0).max(1);
    let count = i64::try_from(days.len()).unwrap_or(1).max(1);
    let slot = CHART_WIDTH / count;
    let plot = CHART_HEIGHT - LABEL_ROOM;
    let total_calls: i64 = days.iter().map(|d| d.calls).sum();
    let first = days.first().map(|d| d.day.clone()).unwrap_or_default();
    let last = days.last().map(|d| d.day.clone()).unwrap_or_default();
    let peak = days
        .iter()
        .max_by_key(|d| d.micros)
        .map(|d| d.cost.clone())
        .unwrap_or_default();
    let bars = days
        .into_iter()
        .enumerate()
        .map(|(n, day)| {
            let x = i64::try_from(n).unwrap_or(0) * slot;
            let height = if day.micros > 0 {
                (day.micros * plot / highest).max(2)
            } else {
                0
            };
            let label = format!("{}: {} ({} calls)", day.day, day.cost, day.calls);
            let hover = label.clone();
            view! {
                <g class="chart__day" data-day=day.day data-cost=day.cost
                    on:mouseenter=move |_| hovered.set(Some(hover.clone()))
                    on:mouseleave=move |_| hovered.set(None)>
                    <rect class="chart__slot" x=x y="0" width=slot height=plot></rect>
                    <rect class="chart__bar" x=x + 2 y=plot - height width=(slot - 4).max(1) height=height></rect>
                    <title>{label}</title>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid="day-chart">
            <svg class="chart__svg" viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}") role="img"
                aria-label=format!("Spend per day from {first} to {last}, highest {peak}, {total_calls} calls")>
                {bars}
                <line class="chart__axis" x1="0" y1=plot x2=CHART_WIDTH y2=plot></line>
                <text class="chart__label" x="0" y=CHART_HEIGHT - 4>{first.clone()}</text>
                <text class="chart__label" x=CHART_WIDTH y=CHART_HEIGHT - 4 text-anchor="end">{last.clone()}</text>
            </svg>
            <figcaption class="muted" data-testid="chart-caption">
                {move || hovered.get().unwrap_or_else(|| format!("Highest day: {peak} · {total_calls} calls in 30 days"))}
            </figcaption>
        </figure>
    }
}

#[component]
fn SpendTable(first: &'static str, rows: Vec<SpendRowView>) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted">"No model calls this month: the built-in planner is free."</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table">
                <thead><tr><th>{first}</th><th>"Calls"</th><th>"Input tokens"</th><th>"Output tokens"</th><th>"Cost"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! {
                        <tr><td>{row.key}</td><td>{row.calls}</td><td>{row.input_tokens}</td><td>{row.output_tokens}</td><td>{row.cost}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn BudgetForm(budgets: BudgetsView, save: ServerAction<SaveBudgets>) -> impl IntoView {
    let source = if budgets.own {
        "Your budgets. Every model call is checked against them before it is made."
    } else {
        "From the configuration ([budgets] in devos.toml) until you save your own."
    };
    let saved = move || save.value().get().and_then(Result::ok);
    view! {
        <p class="muted">{source}</p>
        <ActionForm action=save attr:class="budgets">
            <label class="form__field">
                <span class="form__label">"Per job (US $)"</span>
                <input class="form__input" type="text" inputmode="decimal" name="per_job" value=budgets.per_job required/>
            </label>
            <label class="form__field">
                <span class="form__label">"Per day (US $)"</span>
                <input class="form__input" type="text" inputmode="decimal" name="daily" value=budgets.daily required/>
            </label>
            <label class="form__field">
                <span class="form__label">"Per month (US $)"</span>
                <input class="form__input" type="text" inputmode="decimal" name="monthly" value=budgets.monthly required/>
            </label>
            <button class="button button--primary" type="submit" disabled=move || save.pending().get()>"Save budgets"</button>
        </ActionForm>
        {move || saved().map(|text| view! { <p role="status">{text}</p> })}
        <ErrorLine message=Signal::derive(move || save.value().with(action_error))/>
    }
}
