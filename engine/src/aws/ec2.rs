//! EC2 through the SDK: instances by id, state, name or tag, and starting,
//! stopping, rebooting and terminating them, with the preview that names
//! each instance (id, name, type, state) before approval.

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::{Filter, Instance, InstanceStateChange};

use super::Prepared;
use super::call::Ec2Call;
use super::errors::{self, AwsError};
use super::format::{Lines, when};
use super::session::Session;

/// Most instances one step may change.
const MAX_IDS: usize = 100;

/// One instance, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    id: String,
    name: String,
    kind: String,
    state: String,
    private_ip: String,
    public_ip: String,
    launched: String,
}

impl Row {
    fn of(instance: &Instance) -> Self {
        let text = |value: Option<&str>| value.unwrap_or("-").to_owned();
        Self {
            id: text(instance.instance_id()),
            name: instance
                .tags()
                .iter()
                .find(|tag| tag.key() == Some("Name"))
                .and_then(|tag| tag.value())
                .unwrap_or("-")
                .to_owned(),
            kind: text(
                instance
                    .instance_type()
                    .map(aws_sdk_ec2::types::InstanceType::as_str),
            ),
            state: text(
                instance
                    .state()
                    .and_then(|s| s.name())
                    .map(aws_sdk_ec2::types::InstanceStateName::as_str),
            ),
            private_ip: text(instance.private_ip_address()),
            public_ip: text(instance.public_ip_address()),
            launched: instance.launch_time().map_or_else(|| "-".to_owned(), when),
        }
    }

    fn line(&self) -> String {
        format!(
            "{}  {}  {}  {}  private {}  public {}  launched {}",
            self.id,
            self.name,
            self.kind,
            self.state,
            self.private_ip,
            self.public_ip,
            self.launched
        )
    }
}

fn filters(
    states: &[String],
    name: Option<&str>,
    tags: &std::collections::BTreeMap<String, String>,
) -> Vec<Filter> {
    let mut filters = Vec::new();
    if !states.is_empty() {
        filters.push(
            Filter::builder()
                .name("instance-state-name")
                .set_values(Some(states.to_vec()))
                .build(),
        );
    }
    if let Some(name) = name {
        filters.push(Filter::builder().name("tag:Name").values(name).build());
    }
    for (key, value) in tags {
        filters.push(
            Filter::builder()
                .name(format!("tag:{key}"))
                .values(value)
                .build(),
        );
    }
    filters
}

async fn describe(
    client: &Client,
    session: &Session,
    ids: &[String],
    filters: Vec<Filter>,
) -> Result<Vec<Row>, AwsError> {
    let mut pages = client
        .describe_instances()
        .set_instance_ids((!ids.is_empty()).then(|| ids.to_vec()))
        .set_filters((!filters.is_empty()).then_some(filters))
        .into_paginator()
        .send();
    let mut rows = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            errors::explain(&e, session.subject("describe_instances", &ids.join(" ")))
        })?;
        for reservation in page.reservations() {
            rows.extend(reservation.instances().iter().map(Row::of));
        }
    }
    Ok(rows)
}

/// Names the instances a change acts on, before approval.
pub async fn prepare(session: &Session, call: Ec2Call) -> Result<Prepared<Ec2Call>, AwsError> {
    let ids = match &call {
        Ec2Call::DescribeInstances { .. } => return Ok(Prepared::plain(call)),
        Ec2Call::StartInstances { ids }
        | Ec2Call::StopInstances { ids }
        | Ec2Call::RebootInstances { ids }
        | Ec2Call::TerminateInstances { ids } => ids.clone(),
    };
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(AwsError::new(format!(
            "name between 1 and {MAX_IDS} instance ids"
        )));
    }
    let client = Client::new(&session.config);
    let rows = describe(&client, session, &ids, Vec::new()).await?;
    if let Some(missing) = ids.iter().find(|id| !rows.iter().any(|row| &row.id == *id)) {
        return Err(AwsError::new(format!(
            "No instance {missing} in {}.",
            session.region
        )));
    }
    let mut prepared = Prepared::plain(call);
    prepared.preview = rows
        .iter()
        .map(|row| format!("{} {} ({}, {})", row.id, row.name, row.kind, row.state))
        .collect();
    Ok(prepared)
}

/// Runs `call`.
pub async fn run(session: &Session, call: &Ec2Call) -> Result<Lines, AwsError> {
    let client = Client::new(&session.config);
    let mut out = Lines::default();
    let changes = match call {
        Ec2Call::DescribeInstances {
            ids,
            states,
            name,
            tags,
        } => {
            let rows = describe(
                &client,
                session,
                ids,
                filters(states, name.as_deref(), tags),
            )
            .await?;
            for row in &rows {
                out.push(row.line());
            }
            out.push(format!("{} instance(s) in {}", rows.len(), session.region));
            return Ok(out);
        }
        Ec2Call::StartInstances { ids } => client
            .start_instances()
            .set_instance_ids(Some(ids.clone()))
            .send()
            .await
            .map(|a| a.starting_instances().to_vec())
            .map_err(|e| errors::explain(&e, session.subject("start_instances", &ids.join(" "))))?,
        Ec2Call::StopInstances { ids } => client
            .stop_instances()
            .set_instance_ids(Some(ids.clone()))
            .send()
            .await
            .map(|a| a.stopping_instances().to_vec())
            .map_err(|e| errors::explain(&e, session.subject("stop_instances", &ids.join(" "))))?,
        Ec2Call::TerminateInstances { ids } => client
            .terminate_instances()
            .set_instance_ids(Some(ids.clone()))
            .send()
            .await
            .map(|a| a.terminating_instances().to_vec())
            .map_err(|e| {
                errors::explain(&e, session.subject("terminate_instances", &ids.join(" ")))
            })?,
        Ec2Call::RebootInstances { ids } => {
            client
                .reboot_instances()
                .set_instance_ids(Some(ids.clone()))
                .send()
                .await
                .map_err(|e| {
                    errors::explain(&e, session.subject("reboot_instances", &ids.join(" ")))
                })?;
            for id in ids {
                out.push(format!("{id}: reboot requested"));
            }
            return Ok(out);
        }
    };
    for change in &changes {
        out.push(transition(change));
    }
    Ok(out)
}

fn transition(change: &InstanceStateChange) -> String {
    let state = |s: Option<&aws_sdk_ec2::types::InstanceState>| {
        s.and_then(|s| s.name())
            .map_or("-", |n| n.as_str())
            .to_owned()
    };
    format!(
        "{}: {} → {}",
        change.instance_id().unwrap_or("-"),
        state(change.previous_state()),
        state(change.current_state())
    )
}
