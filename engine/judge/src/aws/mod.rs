//! The typed AWS calls a plan can hold and how risky each is. Running them
//! (the SDK clients, previews before approval) is the engine's.

pub mod call;
pub mod rate;

pub use call::{AwsCall, Ec2Call, LambdaCall, LogsCall, S3Call, StsCall};
pub use rate::{AwsRating, rate};
