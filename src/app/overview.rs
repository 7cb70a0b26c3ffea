//! The folder at a glance, from the queue's entries: how many reports stand where, which rules
//! fail in how many reports, the reports of each year, and each body with its indicators —
//! ranked, and across the years the folder holds. Made again only when the entries change.

use std::collections::{BTreeMap, HashMap};

use super::queue::{Entry, State};
use crate::indicators::{Indicator, IndicatorId};
use crate::rules::RuleId;
use crate::template::Edition;

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
    /// How many reports follow each edition, oldest edition first.
    pub by_edition: Vec<(Edition, usize)>,
    /// The bodies, in the order the folder first names them.
    pub bodies: Vec<Body>,
    /// The counts the lists above are made from, kept so that a report read can be added
    /// without counting the folder again.
    states: BTreeMap<State, usize>,
    rules: BTreeMap<RuleId, usize>,
    years: BTreeMap<Option<u16>, usize>,
    editions: BTreeMap<Edition, usize>,
    /// Each body's place in `bodies`, by name (a hash map: a province names thousands).
    body_at: HashMap<String, usize>,
}

impl Overview {
    /// The counts of these entries.
    #[must_use]
    pub fn of(entries: &[Entry]) -> Overview {
        let mut overview = Overview {
            reports: entries.len(),
            ..Overview::default()
        };
        for (index, entry) in entries.iter().enumerate() {
            overview.count(index, entry);
        }
        overview.publish();
        overview
    }

    /// Counts one report at its place among the entries.
    pub fn count(&mut self, index: usize, entry: &Entry) {
        let state = entry.state();
        *self.states.entry(state).or_default() += 1;
        for &rule in &entry.rules {
            *self.rules.entry(rule).or_default() += 1;
        }
        if state != State::Reading && state != State::Unreadable {
            *self.years.entry(entry.year).or_default() += 1;
        }
        if let Some(edition) = entry.edition {
            *self.editions.entry(edition).or_default() += 1;
        }
        let Some(name) = entry.organization.as_deref() else {
            return;
        };
        let at = if let Some(&at) = self.body_at.get(name) {
            at
        } else {
            self.bodies.push(Body {
                name: name.to_owned(),
                reports: 0,
                approved: 0,
                failing: 0,
                years: Vec::new(),
            });
            self.body_at.insert(name.to_owned(), self.bodies.len() - 1);
            self.bodies.len() - 1
        };
        let body = &mut self.bodies[at];
        body.reports += 1;
        body.approved += usize::from(matches!(state, State::Approved | State::ApprovedAuto));
        body.failing += usize::from(state == State::Failing);
        if let Some(year) = entry.year
            && !entry.indicators.is_empty()
            && let Err(at) = body.years.binary_search_by_key(&year, |(y, _)| *y)
        {
            body.years.insert(at, (year, index));
        }
    }

    /// Takes a report at its place among the entries out of the counts (before it is counted
    /// again as it now stands).
    pub fn uncount(&mut self, index: usize, entry: &Entry) {
        let less = |n: &mut usize| *n = n.saturating_sub(1);
        let state = entry.state();
        if let Some(n) = self.states.get_mut(&state) {
            less(n);
        }
        for rule in &entry.rules {
            if let Some(n) = self.rules.get_mut(rule) {
                less(n);
            }
        }
        if state != State::Reading
            && state != State::Unreadable
            && let Some(n) = self.years.get_mut(&entry.year)
        {
            less(n);
        }
        if let Some(n) = entry.edition.and_then(|e| self.editions.get_mut(&e)) {
            less(n);
        }
        let Some(&at) = entry
            .organization
            .as_deref()
            .and_then(|name| self.body_at.get(name))
        else {
            return;
        };
        let body = &mut self.bodies[at];
        less(&mut body.reports);
        if matches!(state, State::Approved | State::ApprovedAuto) {
            less(&mut body.approved);
        }
        if state == State::Failing {
            less(&mut body.failing);
        }
        body.years.retain(|(_, i)| *i != index);
    }

    /// A report told a rule's finding (or no longer told it) outside its own checks
    /// (`MISSING-REPORT`, from the whole folder).
    pub fn told(&mut self, rule: RuleId, yes: bool) {
        let n = self.rules.entry(rule).or_default();
        *n = if yes { *n + 1 } else { n.saturating_sub(1) };
    }

    /// Makes the lists from the counts (small: states, rules and years).
    pub fn publish(&mut self) {
        self.by_state = State::ALL
            .iter()
            .filter_map(|s| self.states.get(s).filter(|&&n| n > 0).map(|&n| (*s, n)))
            .collect();
        let mut by_rule: Vec<(RuleId, usize)> = self.rules.iter().map(|(r, n)| (*r, *n)).collect();
        by_rule.retain(|(_, n)| *n > 0);
        by_rule.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        self.by_rule = by_rule;
        self.by_year = counted(&self.years);
        self.by_edition = counted(&self.editions);
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

/// The keys counted at least once, with their counts, in the map's order.
fn counted<'a, K: Copy + 'a>(
    counts: impl IntoIterator<Item = (&'a K, &'a usize)>,
) -> Vec<(K, usize)> {
    counts
        .into_iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| (*k, *n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::queue::Status;
    use std::path::Path;

    fn entry(name: &str, body: &str, year: u16, status: Status, rules: &[RuleId]) -> Entry {
        let mut entry = Entry::pending(Path::new(name));
        entry.organization = Some(body.to_owned());
        entry.year = Some(year);
        entry.edition = Some(Edition::for_year(year));
        entry.status = status;
        entry.rules = rules.to_vec();
        entry
    }

    fn open(errors: usize) -> Status {
        Status::Open {
            started: false,
            errors,
            warnings: 0,
            to_look_at: 0,
        }
    }

    /// Counting reports one by one as they are read, and again as one is brought up to date,
    /// gives the counts of the folder made afresh.
    #[test]
    fn counts_kept_up_to_date_are_the_counts_made_afresh() {
        let read = vec![
            entry("a", "甲", 2023, open(1), &[RuleId::T3Balance]),
            entry("b", "乙", 2023, Status::Approved { auto: true }, &[]),
            entry("c", "甲", 2022, open(0), &[RuleId::SectionThin]),
            Entry::pending(Path::new("d")),
        ];
        let pending: Vec<Entry> = read.iter().map(|e| Entry::pending(&e.path)).collect();
        let mut kept = Overview::of(&pending);
        for (index, entry) in read.iter().enumerate() {
            kept.uncount(index, &pending[index]);
            kept.count(index, entry);
        }
        // 甲's 2023 report corrected and approved.
        let mut now = read.clone();
        now[0].status = Status::Approved { auto: false };
        now[0].rules.clear();
        kept.uncount(0, &read[0]);
        kept.count(0, &now[0]);
        kept.publish();
        let fresh = Overview::of(&now);
        assert_eq!(kept.by_state, fresh.by_state);
        assert_eq!(kept.by_rule, fresh.by_rule);
        assert_eq!(kept.by_year, fresh.by_year);
        assert_eq!(kept.by_edition, fresh.by_edition);
        assert_eq!(kept.bodies, fresh.bodies);
        assert_eq!(
            fresh.by_rule,
            [(RuleId::SectionThin, 1)],
            "the corrected report's rule is gone"
        );
        assert_eq!(fresh.by_edition, [(Edition::for_year(2022), 3)]);
    }
}
