//! nianbao (年报): reads Chinese government information-disclosure annual reports, extracts their
//! three statistical tables with provenance and confidence, and checks them as an auditor does.
//!
//! The domain is free of any user interface: `template` (the editions as data), `model` (the typed
//! report), `read` (text to report), `checks` and `repair` (the auditor's rules and suggested
//! fixes), `indicators` (the ratios an office ranks by), `record` and `store` (verified
//! records), `export`, `totals` (a region's 汇总), `letters` (to the publishers), `diff`. `app` is the review window's state (no drawing), `ui` draws it
//! with egui; `output` and `main` are the command line.

pub mod app;
pub mod batch;
pub mod checks;
pub mod diff;
pub mod export;
pub mod indicators;
pub mod lang;
pub mod letters;
pub mod model;
pub mod output;
pub mod read;
pub mod record;
pub mod repair;
pub mod rules;
pub mod store;
pub mod template;
pub mod time;
pub mod totals;
pub mod ui;
pub mod work;
