//! The folder at a glance, from the queue's entries: how many reports stand where, which rules
//! fail in how many reports, the reports of each year, and each body with its indicators —
//! ranked, and across the years the folder holds. Made again only when the entries change.

use std::collections::{BTreeMap, HashMap};

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
    /// Each year the folder holds a read report of it, oldest first, with the place of that
    /// report among the entries (the first of a year where there are several): its indicators.
    pub years: Vec<(u16, usize)>,
}

impl Body {
    /// Its latest year and that report's indicators, if any.
    #[must_use]
    pub fn latest<'e>(&self, entries: &'e [Entry]) -> Option<(u16, &'e [Indicator])> {
        let &(year, index) = self.years.last()?;
        Some((year, entries.get(index)?.indicators.as_slice()))
    }

    /// The value of one indicator in its latest year, as a share, if defined.
    #[must_use]
    pub fn latest_share(&self, id: IndicatorId, entries: &[Entry]) -> Option<f64> {
        self.latest(entries)?
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
    /// The bodies, in the order the folder first names them.
    pub bodies: Vec<Body>,
}

impl Overview {
    /// The counts of these entries.
    #[must_use]
    pub fn of(entries: &[Entry]) -> Overview {
        let mut states: BTreeMap<State, usize> = BTreeMap::new();
        let mut rules: BTreeMap<RuleId, usize> = BTreeMap::new();
        let mut years: BTreeMap<Option<u16>, usize> = BTreeMap::new();
        // Bodies in the order first met, found by name through a hash map: a province has
        // thousands, and a tree of their names costs a frame.
        let mut bodies: Vec<Body> = Vec::new();
        let mut body_at: HashMap<&str, usize> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
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
            let at = *body_at.entry(name).or_insert_with(|| {
                bodies.push(Body {
                    name: name.to_owned(),
                    reports: 0,
                    approved: 0,
                    failing: 0,
                    years: Vec::new(),
                });
                bodies.len() - 1
            });
            let body = &mut bodies[at];
            body.reports += 1;
            body.approved += usize::from(matches!(state, State::Approved | State::ApprovedAuto));
            body.failing += usize::from(state == State::Failing);
            if let Some(year) = entry.year
                && !entry.indicators.is_empty()
                && !body.years.iter().any(|(y, _)| *y == year)
            {
                body.years.push((year, index));
            }
        }
        let mut by_rule: Vec<(RuleId, usize)> = rules.into_iter().collect();
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
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

    /// The places of the bodies ranked by an indicator in their latest year (of `entries`, the
    /// entries the counts were made of), highest first; bodies where it is undefined last, by
    /// name.
    #[must_use]
    pub fn ranked(&self, by: IndicatorId, entries: &[Entry]) -> Vec<usize> {
        let shares: Vec<Option<f64>> = self
            .bodies
            .iter()
            .map(|b| b.latest_share(by, entries))
            .collect();
        let mut ranked: Vec<usize> = (0..self.bodies.len()).collect();
        ranked.sort_by(|&a, &b| match (shares[a], shares[b]) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => self.bodies[a].name.cmp(&self.bodies[b].name),
        });
        ranked
    }
}
