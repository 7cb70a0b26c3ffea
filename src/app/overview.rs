//! The folder at a glance, from the queue's entries: how many reports stand where, which rules
//! fail in how many reports, the reports of each year, and each body with its indicators —
//! ranked, and across the years the folder holds. Made again only when the entries change.

use std::collections::BTreeMap;

use super::queue::{Entry, State};
use crate::indicators::{Indicator, IndicatorId};
use crate::rules::RuleId;

/// One body of the folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Its name.
    pub name: String,
    /// How many reports it has in the folder.
    pub reports: usize,
    /// How many of them are approved (and the approval holds).
    pub approved: usize,
    /// How many fail a rule with an error.
    pub failing: usize,
    /// Its indicators in each year the folder holds a read report of it, oldest first (the
    /// first report of a year where there are several).
    pub years: Vec<(u16, Vec<Indicator>)>,
}

impl Body {
    /// The indicators of its latest year, if any.
    #[must_use]
    pub fn latest(&self) -> Option<&(u16, Vec<Indicator>)> {
        self.years.last()
    }

    /// The value of one indicator in its latest year, as a share, if defined.
    #[must_use]
    pub fn latest_share(&self, id: IndicatorId) -> Option<f64> {
        self.latest()?
            .1
            .iter()
            .find(|i| i.id == id)
            .and_then(Indicator::share)
    }
}

/// The counts of a folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    /// How many reports there are.
    pub reports: usize,
    /// How many stand in each state, in [`State::ALL`]'s order, states with none left out.
    pub by_state: Vec<(State, usize)>,
    /// How many reports have a finding of each rule, most first.
    pub by_rule: Vec<(RuleId, usize)>,
    /// How many reports each year has (`None`: year not read), oldest first.
    pub by_year: Vec<(Option<u16>, usize)>,
    /// The bodies, by name.
    pub bodies: Vec<Body>,
}

impl Overview {
    /// The counts of these entries.
    #[must_use]
    pub fn of(entries: &[Entry]) -> Overview {
        let mut states: BTreeMap<State, usize> = BTreeMap::new();
        let mut rules: BTreeMap<RuleId, usize> = BTreeMap::new();
        let mut years: BTreeMap<Option<u16>, usize> = BTreeMap::new();
        let mut bodies: BTreeMap<&str, Body> = BTreeMap::new();
        for entry in entries {
            let state = entry.state();
            *states.entry(state).or_default() += 1;
            for &rule in &entry.rules {
                *rules.entry(rule).or_default() += 1;
            }
            if state != State::Reading && state != State::Unreadable {
                *years.entry(entry.year).or_default() += 1;
            }
            let Some(name) = entry.organization.as_deref() else {
                continue;
            };
            let body = bodies.entry(name).or_insert_with(|| Body {
                name: name.to_owned(),
                reports: 0,
                approved: 0,
                failing: 0,
                years: Vec::new(),
            });
            body.reports += 1;
            body.approved += usize::from(matches!(state, State::Approved | State::ApprovedAuto));
            body.failing += usize::from(state == State::Failing);
            if let Some(year) = entry.year
                && !entry.indicators.is_empty()
                && !body.years.iter().any(|(y, _)| *y == year)
            {
                body.years.push((year, entry.indicators.clone()));
            }
        }
        let mut by_rule: Vec<(RuleId, usize)> = rules.into_iter().collect();
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut bodies: Vec<Body> = bodies.into_values().collect();
        for body in &mut bodies {
            body.years.sort_by_key(|(y, _)| *y);
        }
        Overview {
            reports: entries.len(),
            by_state: State::ALL
                .iter()
                .filter_map(|s| states.get(s).map(|&n| (*s, n)))
                .collect(),
            by_rule,
            by_year: years.into_iter().collect(),
            bodies,
        }
    }

    /// The bodies ranked by an indicator in their latest year, highest first; bodies where it is
    /// undefined last, by name.
    #[must_use]
    pub fn ranked(&self, by: IndicatorId) -> Vec<&Body> {
        let mut ranked: Vec<&Body> = self.bodies.iter().collect();
        ranked.sort_by(|a, b| match (a.latest_share(by), b.latest_share(by)) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.name.cmp(&b.name),
        });
        ranked
    }
}
